#pragma once

#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>

#include <utility>

namespace fleet {

// Lets code on another thread post calls to an object that may be destroyed meanwhile. The
// object releases the guard first thing in its destructor: a post after that is dropped, and
// one made before it is removed with the object's other posted events (~QObject), so no call
// ever reaches a dead object.
template <typename Target> class PostGuard {
public:
    explicit PostGuard(Target* target)
        : m_target(target)
    {
    }

    void release()
    {
        const QMutexLocker locker(&m_mutex);
        m_target = nullptr;
    }

    // Runs call(target) on the target's thread, queued. False once released.
    template <typename Call> bool post(Call&& call)
    {
        const QMutexLocker locker(&m_mutex);
        Target* target = m_target;
        if (!target)
            return false;
        QMetaObject::invokeMethod(
            target, [target, call = std::forward<Call>(call)]() mutable { call(target); },
            Qt::QueuedConnection);
        return true;
    }

private:
    QMutex m_mutex;
    Target* m_target;
};

} // namespace fleet
