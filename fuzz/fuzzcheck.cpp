#include "fuzzcheck.h"

#include <QLoggingCategory>

#include <google/protobuf/stubs/logging.h>

namespace fleet::fuzz {

void quietLibraries()
{
    google::protobuf::SetLogHandler(nullptr); // discards every libprotobuf log message
    QLoggingCategory::setFilterRules(QStringLiteral("fleet.*=false\nqt.*=false"));
}

} // namespace fleet::fuzz
