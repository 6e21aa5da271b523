// The identity form as an operator meets it: the device type follows a module change (or keeps
// a number the operator typed, with a note), a field that does not parse says so right under
// itself, and Connect is disabled with a tooltip naming the field.

#include "devicesessionpage.h"
#include "identityform.h"
#include "numbercombo.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace fleet;

namespace {

// Types into the combo's edit field as an operator does (textEdited, not setText).
void typeInto(NumberCombo* combo, const QString& text)
{
    combo->lineEdit()->selectAll();
    QTest::keyClick(combo->lineEdit(), Qt::Key_Backspace);
    QTest::keyClicks(combo->lineEdit(), text);
}

void pick(NumberCombo* combo, quint32 number)
{
    const int index = combo->findData(number);
    QVERIFY2(index >= 0, qPrintable(QStringLiteral("%1 is not listed").arg(number)));
    combo->setCurrentIndex(index);
}

quint32 numberOf(NumberCombo* combo)
{
    quint32 value = 0;
    return combo->number(&value) ? value : 0xffffffffu;
}

QLabel* line(const IdentityForm& form, const char* name)
{
    return form.findChild<QLabel*>(QString::fromLatin1(name));
}

} // namespace

class tst_IdentityForm : public QObject {
    Q_OBJECT
private slots:
    void deviceTypeFollowsModule_data();
    void deviceTypeFollowsModule();
    void fieldProblemIsShownUnderTheField_data();
    void fieldProblemIsShownUnderTheField();
    void connectSaysWhyItIsDisabled();
};

void tst_IdentityForm::deviceTypeFollowsModule_data()
{
    QTest::addColumn<quint32>("fromModule");
    QTest::addColumn<QString>("typedType"); // empty: pick fromType from the list
    QTest::addColumn<quint32>("fromType");
    QTest::addColumn<quint32>("toModule");
    QTest::addColumn<quint32>("expectedType");
    QTest::addColumn<QString>("notePart"); // empty: no note

    QTest::newRow("listed IO type follows to mission's first type")
        << 2u << QString() << 3u << 1u << 1u << QStringLiteral("follows the module");
    QTest::newRow("listed example button follows to IO's first type")
        << 1000u << QString() << 0u << 2u << 1u << QStringLiteral("follows the module");
    QTest::newRow("a type valid in both modules stays")
        << 2u << QString() << 1u << 1u << 1u << QString();
    QTest::newRow("typed unknown number is kept with a note")
        << 2u << QStringLiteral("77") << 77u << 1u << 77u << QStringLiteral("kept as typed");
    QTest::newRow("transparent module keeps any type")
        << 2u << QString() << 3u << 3u << 3u << QString();
}

void tst_IdentityForm::deviceTypeFollowsModule()
{
    QFETCH(quint32, fromModule);
    QFETCH(QString, typedType);
    QFETCH(quint32, fromType);
    QFETCH(quint32, toModule);
    QFETCH(quint32, expectedType);
    QFETCH(QString, notePart);

    IdentityForm form;
    DeviceConfig start = DeviceConfig::exampleButton();
    start.identity.module = fromModule;
    start.identity.deviceType = fromType;
    form.setConfig(start); // a listed type is shown as its list entry
    if (!typedType.isEmpty())
        typeInto(form.deviceTypeCombo(), typedType);
    QCOMPARE(numberOf(form.deviceTypeCombo()), fromType);
    QVERIFY(form.deviceTypeNote().isEmpty());

    pick(form.moduleCombo(), toModule);

    QCOMPARE(numberOf(form.deviceTypeCombo()), expectedType);
    if (notePart.isEmpty())
        QVERIFY2(form.deviceTypeNote().isEmpty(), qPrintable(form.deviceTypeNote()));
    else
        QVERIFY2(form.deviceTypeNote().contains(notePart), qPrintable(form.deviceTypeNote()));
    QVERIFY(form.problemText().isEmpty());

    // The note belongs to the change: the operator's next choice clears it.
    typeInto(form.deviceTypeCombo(), QStringLiteral("5"));
    QVERIFY(form.deviceTypeNote().isEmpty());
}

void tst_IdentityForm::fieldProblemIsShownUnderTheField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("lineName");
    QTest::addColumn<QString>("problemPart");

    QTest::newRow("module not a number") << "module"
                                         << "abc"
                                         << "moduleProblem"
                                         << "module: \"abc\" is not a number";
    QTest::newRow("module empty") << "module"
                                  << ""
                                  << "moduleProblem"
                                  << "module: empty";
    QTest::newRow("device type above 32 bits") << "type"
                                               << "4294967296"
                                               << "deviceTypeProblem"
                                               << "above 4294967295";
    QTest::newRow("host empty") << "host"
                                << ""
                                << "hostProblem"
                                << "server host: empty";
}

void tst_IdentityForm::fieldProblemIsShownUnderTheField()
{
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QString, lineName);
    QFETCH(QString, problemPart);

    IdentityForm form;
    form.show();
    if (field == QLatin1String("module"))
        typeInto(form.moduleCombo(), text);
    else if (field == QLatin1String("type"))
        typeInto(form.deviceTypeCombo(), text);
    else {
        form.hostEdit()->selectAll();
        QTest::keyClick(form.hostEdit(), Qt::Key_Backspace);
    }

    QLabel* problemLine = line(form, qPrintable(lineName));
    QVERIFY(problemLine);
    QVERIFY(problemLine->isVisible());
    QVERIFY2(problemLine->text().contains(problemPart), qPrintable(problemLine->text()));
    QVERIFY(form.problemText().contains(problemPart));
    // Only the broken field complains.
    for (const char* other : {"moduleProblem", "deviceTypeProblem", "hostProblem"}) {
        if (lineName != QLatin1String(other))
            QVERIFY2(!line(form, other)->isVisible(), other);
    }
    // What the operator typed stays in the field.
    if (field == QLatin1String("module"))
        QCOMPARE(form.moduleCombo()->currentText(), text);
}

void tst_IdentityForm::connectSaysWhyItIsDisabled()
{
    DeviceSessionPage page(DeviceConfig::exampleButton());
    QPushButton* connect = page.connectButton();
    QVERIFY(connect->isEnabled());
    QVERIFY(page.canConnect());

    typeInto(page.identityForm()->moduleCombo(), QStringLiteral("x1"));
    QVERIFY(!connect->isEnabled());
    QVERIFY(!page.canConnect());
    QVERIFY2(connect->toolTip().contains(QStringLiteral("module: \"x1\" is not a number")),
             qPrintable(connect->toolTip()));

    typeInto(page.identityForm()->moduleCombo(), QStringLiteral("1000"));
    QVERIFY(connect->isEnabled());
    QVERIFY(!connect->toolTip().contains(QStringLiteral("Cannot connect")));
}

QTEST_MAIN(tst_IdentityForm)
#include "tst_identityform.moc"
