#pragma once

#include "trafficlogmodel.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace fleet {

struct ScenarioRecordOptions {
    // Recorded: a `wait_ms` step carries each recorded pause before a connect or a status;
    // Fast: no waits, every step as soon as the one before it is done.
    enum class Timing { Recorded, Fast };
    Timing timing = Timing::Recorded;
    QString name;   // the scenario's "name"; empty: "Recorded session"
    QString server; // "HOST:PORT" written as the file's "server"; empty: none (the runner's)
    QString source; // where the frames came from, for the file's comment: "the traffic log"
};

// The outcome of ScenarioRecorder::record(): a scenario file, or why there is none.
struct ScenarioRecording {
    bool ok = false;
    QString error;   // when !ok: what is wrong with the frames, in an operator's words
    QByteArray json; // the scenario file (docs/scenarios.md), UTF-8
    int devices = 0;
    int statuses = 0;
    int answers = 0;
    // What the frames held that a scenario cannot say, one sentence each ("2 pushed commands
    // (the gateway decides when to push)"); also written in the file's comment.
    QStringList leftOut;
};

// Record and replay (docs/scenarios.md#record-and-replay): turns frames of a traffic log — the
// console's own rows or an imported JSON Lines export — into a scenario file that sends the
// same status bytes again.
//
// Each device becomes a device of the file, its identity taken from its connect frame (else
// from a status, else from its log label). The steps follow the frames in the order they were
// logged, all devices in ONE list: a run then keeps the order between devices too (a rival's
// refused connect stays after the connect it lost to), which `together` branches per device
// would not. A connect frame is a `connect` step (a refused one is followed by `expect_error`
// with the response's name), a status a `send` step with the exact bytes, the answer to it an
// `expect_command` with the exact bytes (an operator loosens it to `json_subset` by hand),
// pushed commands are left out, and every device still connected at the end disconnects.
//
// A device talking to the embedded gateway is logged twice (by the device and by the
// gateway): of one device's rows only those of one side count, the device's when it has any.
class ScenarioRecorder {
public:
    // An expected answer waits at least this long, or 4 times its recorded round trip.
    static constexpr int kMinAnswerWithinMs = 2000;
    static constexpr int kAnswerRoundTrips = 4;
    // A recorded pause shorter than this is not worth a step.
    static constexpr qint64 kMinRecordedWaitMs = 1;
    // The longest `wait_ms` the format takes (a day); longer pauses are cut to it.
    static constexpr qint64 kMaxWaitMs = 24 * 3600 * 1000;

    static ScenarioRecording record(const TrafficSnapshot& snapshot,
                                    const ScenarioRecordOptions& options = {});
};

} // namespace fleet
