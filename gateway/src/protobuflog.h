#pragma once

#include <QString>
#include <QtGlobal>

namespace fleet {

// libprotobuf logs some parse failures itself (a role that is not valid UTF-8, for one), by
// default with a blocking write to stderr: with stderr on a pipe nobody drains, a stream of
// such connects would freeze the gateway. The handler installed here writes nothing: it counts
// the messages and keeps the last one of the thread, which the gateway adds to the protocol
// error it reports anyway (the event lines go through the tools' non-blocking output). With
// QT_LOGGING_RULES="fleet.protobuf.debug=true" they also go to Qt's logging.
namespace ProtobufLog {

// Idempotent; process-wide (libprotobuf has one handler).
void install();
// Messages libprotobuf logged since the process started (once install() ran).
quint64 messageCount();
// The last message logged on this thread since the last call, then forgets it.
QString takeLastMessage();

} // namespace ProtobufLog

} // namespace fleet
