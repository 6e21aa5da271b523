#pragma once

#include "commandhistorymodel.h"

#include <QByteArray>
#include <QDateTime>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
QT_END_NAMESPACE

namespace fleet {

class ElidedLabel;

// The latest command of one device in four views (Text, JSON, Hex dump, Decoded), marks for
// pushed and empty commands, and the bounded history below. An empty command ("nothing new",
// docs/protocol.md#conversation) is marked and recorded, but the views keep the last non-empty
// command.
class CommandInspector : public QWidget {
    Q_OBJECT
public:
    enum class View { Text, Json, HexDump, Decoded };

    explicit CommandInspector(QWidget* parent = nullptr);

    // The module decides how the Decoded view reads the bytes.
    void setModule(quint32 module);
    void showCommand(const QByteArray& data, bool pushed, double roundTripMs,
                     const QDateTime& time = QDateTime::currentDateTime());
    // Several commands in the order they came: each reaches the history, the views render
    // the latest once (a summary left empty is the catalog's, for this module).
    void showCommands(const QList<CommandRecord>& commands);
    void clear();

    bool hasCommand() const { return m_hasCommand; }
    QByteArray shownCommand() const { return m_shown; } // the last non-empty one
    QString viewText(View view) const;
    QString markText() const; // "pushed", "empty: nothing new", or empty
    QString headline() const; // time, round trip, size of the latest command

    CommandHistoryModel* history() const { return m_history; }
    QTabWidget* views() const { return m_views; }
    QTableView* historyView() const { return m_historyView; }

private:
    QPlainTextEdit* addView(const QString& title, const QString& tip);
    void renderViews();
    void setMarks(bool pushed, bool empty, const QDateTime& time);

    quint32 m_module = 0;
    bool m_hasCommand = false;
    QByteArray m_shown;
    quint32 m_shownModule = 0; // the module of the device that received m_shown
    QDateTime m_shownTime;

    QLabel* m_pushedMark = nullptr;
    QLabel* m_emptyMark = nullptr;
    ElidedLabel* m_headline = nullptr;
    QTabWidget* m_views = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QPlainTextEdit* m_json = nullptr;
    QPlainTextEdit* m_hex = nullptr;
    QPlainTextEdit* m_decoded = nullptr;
    QLabel* m_historyTitle = nullptr;
    QTableView* m_historyView = nullptr;
    CommandHistoryModel* m_history = nullptr;
};

} // namespace fleet
