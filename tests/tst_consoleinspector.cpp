// The command inspector: hex dump layout, the bounded history model, views and marks.

#include "commandhistorymodel.h"
#include "commandinspector.h"
#include "deviceidentity.h"
#include "hexdump.h"
#include "modulecatalog.h"

#include "MissionModule.pb.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace fleet;

class tst_ConsoleInspector : public QObject {
    Q_OBJECT
private slots:
    void hexDumpLayout_data();
    void hexDumpLayout();
    void historyIsBoundedNewestFirst();
    void historyColumns_data();
    void historyColumns();
    void emptyStateExplainsWhatToDo();
    void decodedWithTheReceivingDevicesModule();
    void viewsOfATextCommand();
    void emptyCommandKeepsLastNonEmptyInView();
    void batchReachesHistoryAndShowsTheLatest();
    void pushedCommandIsMarked();
    void binaryCommandPointsToHexDump();
    void missionProtobufIsDecoded();
};

void tst_ConsoleInspector::hexDumpLayout_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("00000000\n");
    QTest::newRow("example command")
        << QByteArray("{\"lit_up\": false}")
        << QStringLiteral("00000000  7b 22 6c 69 74 5f 75 70  22 3a 20 66 61 6c 73 65  "
                          "|{\"lit_up\": false|\n"
                          "00000010  7d                                                "
                          "|}|\n"
                          "00000011\n");
    QTest::newRow("non-printable bytes become dots")
        << QByteArray("\x00\x1f\x7f\x80\xffok", 7)
        << QStringLiteral("00000000  00 1f 7f 80 ff 6f 6b                              "
                          "|.....ok|\n"
                          "00000007\n");
}

void tst_ConsoleInspector::hexDumpLayout()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QCOMPARE(hexDump(bytes), expected);
}

void tst_ConsoleInspector::historyIsBoundedNewestFirst()
{
    CommandHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(100);
    const QDateTime start = QDateTime::currentDateTime();
    for (int i = 0; i < 250; ++i)
        model.append({start.addMSecs(i), QByteArray::number(i), false, 1.0, QString::number(i)});
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.totalCount(), 250u);
    QCOMPARE(model.record(0).data, QByteArray("249")); // newest first
    QCOMPARE(model.record(99).data, QByteArray("150"));

    model.setCapacity(10);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.record(9).data, QByteArray("240"));

    CommandHistoryModel defaults;
    QCOMPARE(defaults.capacity(), 1000);
    for (int i = 0; i < 1005; ++i)
        defaults.append({start, "x", false, 0.5, {}});
    QCOMPARE(defaults.rowCount(), 1000);
}

void tst_ConsoleInspector::historyColumns_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("pushed");
    QTest::addColumn<double>("roundTripMs");
    QTest::addColumn<QString>("roundTrip");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("summary");
    QTest::newRow("answer") << QByteArray("{\"lit_up\": true}") << false << 1.24 << "1.2 ms"
                            << "answer"
                            << "lit_up: true";
    QTest::newRow("empty answer") << QByteArray() << false << 3.0 << "3.0 ms"
                                  << "empty"
                                  << "nothing new";
    QTest::newRow("pushed") << QByteArray("x") << true << -1.0 << "—"
                            << "pushed"
                            << "x";
}

void tst_ConsoleInspector::historyColumns()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, pushed);
    QFETCH(double, roundTripMs);
    QFETCH(QString, roundTrip);
    QFETCH(QString, kind);
    QFETCH(QString, summary);
    CommandHistoryModel model;
    const QDateTime time(QDate(2026, 1, 2), QTime(3, 4, 5, 678));
    model.append({time, data, pushed, roundTripMs, data.isEmpty() ? QString() : summary});
    auto cell = [&](int column) { return model.data(model.index(0, column)).toString(); };
    QCOMPARE(cell(CommandHistoryModel::TimeColumn), QStringLiteral("03:04:05.678"));
    QCOMPARE(cell(CommandHistoryModel::RoundTripColumn), roundTrip);
    QCOMPARE(cell(CommandHistoryModel::KindColumn), kind);
    QCOMPARE(cell(CommandHistoryModel::SizeColumn), QString::number(data.size()));
    QCOMPARE(cell(CommandHistoryModel::SummaryColumn), summary);
    QCOMPARE(model.headerData(CommandHistoryModel::RoundTripColumn, Qt::Horizontal).toString(),
             QStringLiteral("Round trip"));
}

void tst_ConsoleInspector::emptyStateExplainsWhatToDo()
{
    CommandInspector inspector;
    QVERIFY(!inspector.hasCommand());
    QVERIFY(inspector.viewText(CommandInspector::View::Text)
                .contains(QStringLiteral("Connect, then send")));
    QCOMPARE(inspector.markText(), QString());
    QCOMPARE(inspector.views()->count(), 4);
}

void tst_ConsoleInspector::viewsOfATextCommand()
{
    CommandInspector inspector;
    inspector.setModule(1000);
    inspector.showCommand("{\"lit_up\": false}", false, 2.5);
    QCOMPARE(inspector.viewText(CommandInspector::View::Text),
             QStringLiteral("{\"lit_up\": false}"));
    QCOMPARE(inspector.viewText(CommandInspector::View::Json),
             QStringLiteral("{\n    \"lit_up\": false\n}"));
    QVERIFY(inspector.viewText(CommandInspector::View::HexDump)
                .contains(QStringLiteral("|{\"lit_up\": false|")));
    QVERIFY2(inspector.viewText(CommandInspector::View::Decoded)
                 .contains(QStringLiteral("lit_up: false")),
             qPrintable(inspector.viewText(CommandInspector::View::Decoded)));
    QVERIFY(inspector.headline().contains(QStringLiteral("round trip 2.5 ms")));
    QVERIFY(inspector.headline().contains(QStringLiteral("17 bytes")));

    inspector.showCommand("not json", false, 1);
    QVERIFY2(inspector.viewText(CommandInspector::View::Json)
                 .startsWith(QStringLiteral("Not JSON: line 1, column")),
             qPrintable(inspector.viewText(CommandInspector::View::Json)));
}

void tst_ConsoleInspector::emptyCommandKeepsLastNonEmptyInView()
{
    CommandInspector inspector;
    inspector.setModule(1000);
    inspector.showCommand("{\"lit_up\": true}", false, 1.0);
    inspector.showCommand(QByteArray(), false, 1.0);
    QCOMPARE(inspector.markText(), QStringLiteral("empty: nothing new"));
    QCOMPARE(inspector.viewText(CommandInspector::View::Text),
             QStringLiteral("{\"lit_up\": true}"));
    QCOMPARE(inspector.shownCommand(), QByteArray("{\"lit_up\": true}"));
    QCOMPARE(inspector.history()->rowCount(), 2);
    QVERIFY(inspector.history()->record(0).data.isEmpty());
    QVERIFY(inspector.headline().contains(QStringLiteral("0 bytes")));

    // The next non-empty command clears the mark.
    inspector.showCommand("{\"lit_up\": false}", false, 1.0);
    QCOMPARE(inspector.markText(), QString());

    // Only empty commands so far: said in the views.
    CommandInspector fresh;
    fresh.showCommand(QByteArray(), false, 1.0);
    QVERIFY(fresh.viewText(CommandInspector::View::Text).contains(QStringLiteral("nothing new")));
}

// What a device tab hands over per refresh: every command in the history, in order; the views,
// headline and marks as if they had come one by one.
void tst_ConsoleInspector::batchReachesHistoryAndShowsTheLatest()
{
    CommandInspector inspector;
    inspector.setModule(1000);
    const QDateTime start = QDateTime::currentDateTime();
    inspector.showCommands({
        {start, "{\"lit_up\": true}", false, 0.25, {}},
        {start.addMSecs(1), "{\"lit_up\": false}", false, 0.5, {}},
        {start.addMSecs(2), QByteArray(), false, 0.75, {}},
    });
    QCOMPARE(inspector.history()->rowCount(), 3);
    QCOMPARE(inspector.history()->record(2).data, QByteArray("{\"lit_up\": true}"));
    QCOMPARE(inspector.history()->record(1).data, QByteArray("{\"lit_up\": false}"));
    QVERIFY(inspector.history()->record(0).data.isEmpty());
    QVERIFY2(!inspector.history()->record(1).summary.isEmpty(),
             "the catalog's summary is filled in");
    QCOMPARE(inspector.shownCommand(), QByteArray("{\"lit_up\": false}"));
    QCOMPARE(inspector.viewText(CommandInspector::View::Text),
             QStringLiteral("{\"lit_up\": false}"));
    QCOMPARE(inspector.markText(), QStringLiteral("empty: nothing new"));
    QVERIFY2(inspector.headline().contains(QStringLiteral("round trip 0.8 ms")) &&
                 inspector.headline().contains(QStringLiteral("0 bytes")),
             qPrintable(inspector.headline()));

    // The same bytes again leave the views as they are; a new command renders.
    inspector.showCommands({{start.addMSecs(3), "{\"lit_up\": false}", true, -1, {}}});
    QCOMPARE(inspector.markText(), QStringLiteral("pushed"));
    QCOMPARE(inspector.viewText(CommandInspector::View::Text),
             QStringLiteral("{\"lit_up\": false}"));
    inspector.showCommands({{start.addMSecs(4), "{\"lit_up\": true}", false, 1, {}}});
    QCOMPARE(inspector.viewText(CommandInspector::View::Text),
             QStringLiteral("{\"lit_up\": true}"));
    QCOMPARE(inspector.history()->rowCount(), 5);
}

void tst_ConsoleInspector::pushedCommandIsMarked()
{
    CommandInspector inspector;
    inspector.setModule(2);
    inspector.showCommand("[{\"outNum\":1,\"actType\":2}]", true, -1);
    QCOMPARE(inspector.markText(), QStringLiteral("pushed"));
    QVERIFY(!inspector.headline().contains(QStringLiteral("round trip")));
    QCOMPARE(inspector.history()
                 ->data(inspector.history()->index(0, CommandHistoryModel::KindColumn))
                 .toString(),
             QStringLiteral("pushed"));
    inspector.showCommand(QByteArray(), true, -1);
    QCOMPARE(inspector.markText(), QStringLiteral("pushed, empty: nothing new"));
}

void tst_ConsoleInspector::binaryCommandPointsToHexDump()
{
    CommandInspector inspector;
    inspector.showCommand(QByteArray("\xff\xfe\x00", 3), false, 1);
    QVERIFY2(
        inspector.viewText(CommandInspector::View::Text).contains(QStringLiteral("see Hex dump")),
        qPrintable(inspector.viewText(CommandInspector::View::Text)));
    QVERIFY(inspector.viewText(CommandInspector::View::HexDump)
                .startsWith(QStringLiteral("00000000  ff fe 00")));
}

void tst_ConsoleInspector::missionProtobufIsDecoded()
{
    MissionModule::AutonomyCommand command;
    command.set_action(MissionModule::AutonomyCommand::START);
    command.set_route("Line 7");
    auto* stop = command.add_stops();
    stop->set_name("Train Station");
    stop->mutable_position()->set_latitude(45.815011);
    const std::string bytes = command.SerializeAsString();

    CommandInspector inspector;
    inspector.setModule(1);
    inspector.showCommand(QByteArray::fromStdString(bytes), false, 4.0);
    const QString decoded = inspector.viewText(CommandInspector::View::Decoded);
    QVERIFY2(decoded.contains(QStringLiteral("START")), qPrintable(decoded));
    QVERIFY2(decoded.contains(QStringLiteral("Line 7")), qPrintable(decoded));
    QVERIFY2(decoded.contains(QStringLiteral("Train Station")), qPrintable(decoded));
    QVERIFY2(decoded.contains(QStringLiteral("protobuf")), qPrintable(decoded));
}

// The form's module may change after the device disconnected: what was received stays decoded
// as the module of the device that received it.
void tst_ConsoleInspector::decodedWithTheReceivingDevicesModule()
{
    CommandInspector inspector;
    inspector.setModule(ModuleNumber::Example);
    inspector.showCommand("{\"lit_up\": true}", false, 1.0, QDateTime::currentDateTime());
    const QString decoded = inspector.viewText(CommandInspector::View::Decoded);
    QVERIFY2(decoded.startsWith(ModuleCatalog::moduleName(ModuleNumber::Example)),
             qPrintable(decoded));
    inspector.setModule(ModuleNumber::Io);
    QCOMPARE(inspector.viewText(CommandInspector::View::Decoded), decoded);
    QCOMPARE(inspector.history()->rowCount(), 1);
}

QTEST_MAIN(tst_ConsoleInspector)
#include "tst_consoleinspector.moc"
