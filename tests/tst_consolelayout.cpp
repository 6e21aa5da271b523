// The window fits a laptop screen: its minimum size stays within 1000×700 with both docks,
// long texts (auto-send counter, validation, headlines, notes) never raise it, and a saved
// geometry larger than the screen is cut to the screen.

#include "consoledocks.h"
#include "devicesessionpage.h"
#include "mainwindow.h"
#include "offscreenscreen.h"
#include "statuscomposer.h"

#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

namespace {

constexpr QSize kLargestMinimum(1000, 700);

QString longText()
{
    return QStringLiteral("sent 123456 · answered 123455 · stopped: %1")
        .arg(QString(400, QLatin1Char('x')));
}

} // namespace

class tst_ConsoleLayout : public QObject {
    Q_OBJECT
private slots:
    void minimumFitsSmallScreens();
    void longTextsKeepTheMinimum_data();
    void longTextsKeepTheMinimum();
    void oversizedGeometryIsCutToTheScreen();
};

void tst_ConsoleLayout::minimumFitsSmallScreens()
{
    QTemporaryDir dir;
    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    installConsoleDocks(&window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
    QVERIFY2(
        minimum.width() <= kLargestMinimum.width() && minimum.height() <= kLargestMinimum.height(),
        qPrintable(QStringLiteral("minimum %1×%2").arg(minimum.width()).arg(minimum.height())));
    // The docks (traffic log, gateway panel, mission planner, sequence, scenario, fleet and any
    // added since)
    // are there, tabbed, not hidden to make the numbers.
    const QList<QDockWidget*> docks = window.findChildren<QDockWidget*>();
    QVERIFY(docks.size() >= 4);
    QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("sequenceDock")));
    QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("scenarioDock")));
    QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("fleetDock")));
    for (QDockWidget* dock : docks)
        QVERIFY(!dock->isHidden());
}

void tst_ConsoleLayout::longTextsKeepTheMinimum_data()
{
    QTest::addColumn<QString>("where");
    QTest::newRow("auto-send counter") << "autosend";
    QTest::newRow("validation message") << "validation";
    QTest::newRow("format message") << "format";
}

void tst_ConsoleLayout::longTextsKeepTheMinimum()
{
    QFETCH(QString, where);
    QTemporaryDir dir;
    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    installConsoleDocks(&window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QSize before = window.minimumSizeHint();
    StatusComposer* composer = window.currentPage()->composer();
    if (where == QLatin1String("autosend")) {
        composer->setAutoSendState(false, longText());
    } else if (where == QLatin1String("validation")) {
        // One unbroken token: word wrap alone cannot fold it.
        composer->editor()->setPlainText(QStringLiteral("{\"%1\": }").arg(longText()));
    } else {
        composer->loadFile(dir.filePath(QStringLiteral("no-such-file-%1").arg(longText())));
    }
    QCoreApplication::processEvents();
    QCOMPARE(window.minimumSizeHint().width(), before.width());
    QVERIFY(window.minimumSizeHint().width() <= kLargestMinimum.width());
}

void tst_ConsoleLayout::oversizedGeometryIsCutToTheScreen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    QCOMPARE(available.size(), QSize(1024, 768));
    {
        MainWindow window(path);
        window.setGeometry(QRect(available.topLeft(), available.size() * 2));
        QVERIFY(window.saveSettings());
    }
    MainWindow restored(path);
    installConsoleDocks(&restored);
    restored.show();
    QVERIFY(QTest::qWaitForWindowExposed(&restored));
    QVERIFY2(available.contains(restored.frameGeometry()),
             qPrintable(QStringLiteral("window %1,%2 %3×%4 on a %5×%6 screen")
                            .arg(restored.frameGeometry().x())
                            .arg(restored.frameGeometry().y())
                            .arg(restored.frameGeometry().width())
                            .arg(restored.frameGeometry().height())
                            .arg(available.width())
                            .arg(available.height())));
}

// The smallest screen the window must fit.
FLEET_TEST_MAIN_ON_SCREEN(tst_ConsoleLayout, 1024, 768)
#include "tst_consolelayout.moc"
