#pragma once

#include "deviceconfig.h"
#include "sessionstatus.h"

#include <QAbstractTableModel>
#include <QBasicTimer>
#include <QElapsedTimer>
#include <QList>
#include <QPointer>

#include <memory>
#include <vector>

namespace fleet {

class DeviceSession;
class InternalClient;

// What Device › New fleet… creates: N devices of one identity, their roles suffixed "-1".."-N",
// sending one payload on a timer or living by their module's behaviour (README "Fleets").
struct FleetTemplate {
    DeviceConfig device; // identity, server, draft text as the payload, status timeout
    int count = 10;
    bool behave = false;   // the module's behaviour instead of the payload (when it has one)
    int intervalMs = 1000; // auto-send period of payload senders; 0: only on Send
};

// The console's fleet: many devices in one table, each a DeviceSession of its own (the same
// client and the same truth as a device tab), with counters and round-trip percentiles kept in
// a fixed space per device. Rows are refreshed at most every kRefreshMs, so a thousand devices
// answering ten times a second do not repaint the table ten thousand times.
class FleetModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { State, Role, Identity, Statuses, Answered, Errors, LastCommand, RttP50, RttP99 };
    static constexpr int kColumnCount = RttP99 + 1;
    static constexpr int kMaxDevices = 10000;
    static constexpr int kRttSamples = 128; // the latest round trips each device keeps
    static constexpr int kRefreshMs = 200;
    static constexpr int kMaxCommandChars = 120; // the last command's summary, cut
    // Sort role: the raw number or text behind a cell, so the table sorts 10 after 9.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit FleetModel(QObject* parent = nullptr);
    ~FleetModel() override;

    // Where devices that use the embedded gateway connect ("" while it is not listening).
    void setEmbeddedGateway(const QString& host, quint16 port);

    // Adds template.count devices (no more than kMaxDevices in all); false with *error, and
    // nothing added, when the template cannot make them.
    bool addFleet(const FleetTemplate& fleet, QString* error = nullptr);
    int deviceCount() const { return int(m_devices.size()); }

    void connectDevices(const QList<int>& rows);
    void disconnectDevices(const QList<int>& rows);
    void startSending(const QList<int>& rows);
    void stopSending(const QList<int>& rows);
    void removeDevices(QList<int> rows);
    QList<int> allRows() const;

    DeviceSession* session(int row) const;
    SessionStatus status(int row) const;
    bool isSending(int row) const;
    quint64 statusesSent(int row) const;
    quint64 answered(int row) const;
    // A device tab's config for the row: identity, server, payload, behaviour and interval.
    DeviceConfig deviceConfig(int row) const;
    int countInStatus(SessionStatus status) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    // Each device's new client (one per connect), for the traffic log.
    void clientCreated(fleet::InternalClient* client);
    // Counts in the table's caption changed (devices, connected, sending).
    void summaryChanged();

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    class Device;

    void markChanged(Device* device);
    // `settled` connects finished (connected or failed); starts queued ones in their place.
    void connectSettled(int settled = 1);
    void sendDue();

    std::vector<std::unique_ptr<Device>> m_devices;
    QList<QPointer<Device>> m_connectQueue; // waiting for a place in the connect window
    int m_connecting = 0;
    QString m_embeddedHost;
    quint16 m_embeddedPort = 0;
    QBasicTimer m_refresh; // rows changed since the last refresh are repainted then
    QBasicTimer m_wheel;   // one timer sends for every payload sender that is due
    QElapsedTimer m_clock;
    bool m_anyChanged = false;
};

} // namespace fleet
