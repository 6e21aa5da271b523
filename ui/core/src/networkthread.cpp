#include "networkthread.h"

#include <QMutex>
#include <QThread>

namespace fleet {

namespace {
QMutex s_mutex;
std::weak_ptr<NetworkThread> s_running; // guarded by s_mutex
} // namespace

NetworkThread::NetworkThread()
    : m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("fleet-network"));
    m_thread->start();
}

NetworkThread::~NetworkThread()
{
    // Objects handed to deleteLater() before this are deleted by the thread's finish, on the
    // thread itself (QThread processes deferred deletes when its run() returns).
    m_thread->quit();
    m_thread->wait();
}

std::shared_ptr<NetworkThread> NetworkThread::acquire()
{
    const QMutexLocker locker(&s_mutex);
    std::shared_ptr<NetworkThread> running = s_running.lock();
    if (!running) {
        running = std::make_shared<NetworkThread>();
        s_running = running;
    }
    return running;
}

std::shared_ptr<NetworkThread> NetworkThread::current()
{
    const QMutexLocker locker(&s_mutex);
    return s_running.lock();
}

} // namespace fleet
