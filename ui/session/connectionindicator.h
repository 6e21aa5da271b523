#pragma once

#include "internalclient.h"
#include "sessionstatus.h"

#include <QDateTime>
#include <QFrame>

QT_BEGIN_NAMESPACE
class QHBoxLayout;
class QLabel;
class QTimer;
class QVBoxLayout;
QT_END_NAMESPACE

namespace fleet {

class ElidedLabel;

// The always-visible connection state of one device: a coloured dot and bar, the state's
// name, how long it has been so (updated every second), the server, and after a failure the
// error's stable name, its family and the sentence saying what probably happened.
class ConnectionIndicator : public QFrame {
    Q_OBJECT
public:
    explicit ConnectionIndicator(QWidget* parent = nullptr);

    void setStatus(SessionStatus status, const QDateTime& since, const QString& server);
    // Shown while the status is Failed; cleared by the next setStatus() that is not.
    // cause: what the gateway itself said; it replaces the error's generic sentence.
    void setError(InternalClient::Error error, const QString& detail, const QString& cause = {});
    // Something the client noticed that is not (yet) an error, e.g. the gateway closed the
    // idle connection and the next status will reconnect. Cleared by the next state change.
    void setNote(const QString& text);

    SessionStatus status() const { return m_status; }
    // What the operator reads, for tests: "Connected · since 3 s · 127.0.0.1:8888".
    QString stateText() const;
    QString errorText() const;
    QString noteText() const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void refresh();
    void refreshSince();
    void placeSince();

    QLabel* m_dot = nullptr;
    QLabel* m_state = nullptr;
    ElidedLabel* m_since = nullptr; // beside the state, or below it when the row is narrow
    QHBoxLayout* m_top = nullptr;
    QVBoxLayout* m_rows = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_note = nullptr;
    QTimer* m_tick = nullptr;
    SessionStatus m_status = SessionStatus::NotConnected;
    QDateTime m_sinceTime = QDateTime::currentDateTime();
    QString m_server;
    QString m_errorPlain;
};

} // namespace fleet
