#pragma once

namespace fleet {

class MainWindow;

// Adds the traffic log and the embedded gateway panel to a console window and feeds the log
// from every device client and from the embedded gateway. Kept out of MainWindow so the
// window stays a frame that panels plug into.
void installConsoleDocks(MainWindow* window);

} // namespace fleet
