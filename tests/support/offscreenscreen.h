#pragma once

#include <QApplication>
#include <QFile>
#include <QSize>
#include <QTemporaryDir>
#include <QTest>

// The offscreen platform's screen is 800×800 unless configured. Widget suites that depend on
// the screen (the window is cut to fit it) run on a screen of a known size instead.
#define FLEET_TEST_MAIN_ON_SCREEN(TestClass, width, height)                                        \
    int main(int argc, char** argv)                                                                \
    {                                                                                              \
        QTemporaryDir config;                                                                      \
        QFile file(config.filePath(QStringLiteral("screens.json")));                               \
        if (!config.isValid() || !file.open(QIODevice::WriteOnly))                                 \
            return 2;                                                                              \
        file.write(QStringLiteral("{\"synthesizedWindowFrame\": false, \"screens\": [{\"name\": "  \
                                  "\"test\", \"x\": 0, \"y\": 0, \"width\": %1, \"height\": %2, "  \
                                  "\"logicalDpiX\": 96, \"logicalDpiY\": 96}]}")                   \
                       .arg(width)                                                                 \
                       .arg(height)                                                                \
                       .toUtf8());                                                                 \
        file.close();                                                                              \
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + file.fileName().toUtf8());            \
        QApplication app(argc, argv);                                                              \
        TestClass test;                                                                            \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&test, argc, argv);                                                    \
    }
