#pragma once

#include "sessionstatus.h"

#include <QIcon>

namespace fleet {

// A filled dot in the status colour, for tab icons.
QIcon sessionStatusIcon(SessionStatus status);

} // namespace fleet
