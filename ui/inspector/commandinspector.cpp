#include "commandinspector.h"

#include "elidedlabel.h"

#include "commandhistorymodel.h"
#include "deviceidentity.h"
#include "hexdump.h"
#include "modulecatalog.h"
#include "payloadformat.h"
#include "payloadtext.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace fleet {

namespace {

QLabel* makeMark(const QString& text, const QString& color, const QString& tip)
{
    auto* mark = new QLabel(text);
    mark->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; border-radius: 4px; "
                                       "padding: 1px 6px; font-weight: bold; }")
                            .arg(color));
    mark->setToolTip(tip);
    mark->hide();
    return mark;
}

} // namespace

CommandInspector::CommandInspector(QWidget* parent)
    : QWidget(parent)
{
    auto* title = new QLabel(tr("Latest command"));
    QFont titleFont = title->font();
    titleFont.setBold(true);
    title->setFont(titleFont);
    m_pushedMark = makeMark(tr("pushed"), QStringLiteral("#6a1b9a"),
                            tr("The gateway sent this command without a status asking for it."));
    m_emptyMark = makeMark(tr("empty: nothing new"), QStringLiteral("#8a8f98"),
                           tr("The latest answer carried no bytes; the views keep the last "
                              "non-empty command."));
    m_headline = new ElidedLabel;
    m_headline->setStyleSheet(QStringLiteral("color: #555;"));
    auto* top = new QHBoxLayout;
    top->addWidget(title);
    top->addWidget(m_pushedMark);
    top->addWidget(m_emptyMark);
    top->addWidget(m_headline, 1);

    m_views = new QTabWidget;
    m_views->setDocumentMode(true);
    m_text = addView(tr("Text"), tr("The command bytes as UTF-8 text."));
    m_json = addView(tr("JSON"), tr("The command as indented JSON, when it is JSON."));
    m_hex = addView(tr("Hex dump"), tr("Offsets, hex bytes and printable ASCII."));
    m_decoded = addView(tr("Decoded"), tr("What the module makes of the command (catalog)."));

    m_history = new CommandHistoryModel(this);
    m_historyView = new QTableView;
    m_historyView->setModel(m_history);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_historyView->setAlternatingRowColors(true);
    m_historyView->verticalHeader()->hide();
    m_historyView->verticalHeader()->setDefaultSectionSize(m_historyView->fontMetrics().height() +
                                                           6);
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    m_historyView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_historyView->setColumnWidth(CommandHistoryModel::TimeColumn, 96);
    m_historyView->setColumnWidth(CommandHistoryModel::RoundTripColumn, 80);
    m_historyView->setColumnWidth(CommandHistoryModel::KindColumn, 64);
    m_historyView->setColumnWidth(CommandHistoryModel::SizeColumn, 48);
    m_historyView->setMinimumHeight(m_historyView->verticalHeader()->defaultSectionSize() * 3);
    m_historyView->setToolTip(tr("Every command of this device, newest first (the latest %1).")
                                  .arg(m_history->capacity()));
    m_historyTitle = new QLabel;
    auto* clearButton = new QPushButton(tr("Clear"));
    clearButton->setAutoDefault(false);
    clearButton->setToolTip(tr("Forget the history (the latest command stays in view)."));
    auto* historyRow = new QHBoxLayout;
    historyRow->addWidget(m_historyTitle, 1);
    historyRow->addWidget(clearButton);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_views, 3);
    layout->addLayout(historyRow);
    layout->addWidget(m_historyView, 2);

    auto updateTitle = [this] {
        const int rows = m_history->rowCount();
        m_historyTitle->setText(rows == 1 ? tr("History: 1 command")
                                          : tr("History: %1 commands").arg(rows));
    };
    connect(m_history, &QAbstractItemModel::rowsInserted, this, updateTitle);
    connect(m_history, &QAbstractItemModel::modelReset, this, updateTitle);
    connect(clearButton, &QPushButton::clicked, m_history, &CommandHistoryModel::clear);
    updateTitle();
    renderViews();
}

QPlainTextEdit* CommandInspector::addView(const QString& title, const QString& tip)
{
    auto* view = new QPlainTextEdit;
    view->setReadOnly(true);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(qMax(10.0, mono.pointSizeF()));
    view->setFont(mono);
    view->setToolTip(tip);
    // A few lines are enough on a short screen; the view grows with the window.
    view->setMinimumHeight(view->fontMetrics().height() * 3);
    m_views->addTab(view, title);
    return view;
}

// For the commands still to come: a command already received stays decoded with the module
// of the device that received it, whatever the form says now.
void CommandInspector::setModule(quint32 module)
{
    m_module = module;
}

void CommandInspector::showCommand(const QByteArray& data, bool pushed, double roundTripMs,
                                   const QDateTime& time)
{
    showCommands({{time, data, pushed, roundTripMs, {}}});
}

void CommandInspector::showCommands(const QList<CommandRecord>& commands)
{
    if (commands.isEmpty())
        return;
    const QByteArray shownBefore = m_shown;
    const quint32 shownModuleBefore = m_shownModule;
    for (CommandRecord record : commands) {
        if (record.summary.isEmpty() && !record.data.isEmpty())
            record.summary = ModuleCatalog::describeCommand(m_module, record.data);
        m_history->append(record);
        if (!record.data.isEmpty()) {
            m_shown = record.data;
            m_shownModule = m_module;
            m_shownTime = record.time;
        }
    }
    const CommandRecord& latest = commands.last();
    QString headline = latest.time.toString(QStringLiteral("HH:mm:ss.zzz"));
    if (latest.roundTripMs >= 0)
        headline += tr(" · round trip %1 ms").arg(latest.roundTripMs, 0, 'f', 1);
    headline +=
        latest.data.size() == 1 ? tr(" · 1 byte") : tr(" · %1 bytes").arg(latest.data.size());
    m_headline->setText(headline);
    const bool firstCommand = !m_hasCommand;
    m_hasCommand = true;
    setMarks(latest.pushed, latest.data.isEmpty(), latest.time);
    // The same bytes again (auto-send's usual answer) leave the four views as they are.
    if (firstCommand || m_shown != shownBefore || m_shownModule != shownModuleBefore)
        renderViews(); // with only empty commands so far: says so
}

void CommandInspector::clear()
{
    m_history->clear();
    m_hasCommand = false;
    m_shown.clear();
    m_headline->setText({});
    m_pushedMark->hide();
    m_emptyMark->hide();
    renderViews();
}

QString CommandInspector::viewText(View view) const
{
    switch (view) {
    case View::Text:
        return m_text->toPlainText();
    case View::Json:
        return m_json->toPlainText();
    case View::HexDump:
        return m_hex->toPlainText();
    case View::Decoded:
        return m_decoded->toPlainText();
    }
    return {};
}

QString CommandInspector::markText() const
{
    QStringList marks;
    if (!m_pushedMark->isHidden())
        marks.append(m_pushedMark->text());
    if (!m_emptyMark->isHidden())
        marks.append(m_emptyMark->text());
    return marks.join(QStringLiteral(", "));
}

QString CommandInspector::headline() const
{
    return m_headline->text();
}

void CommandInspector::setMarks(bool pushed, bool empty, const QDateTime& time)
{
    m_pushedMark->setVisible(pushed);
    m_emptyMark->setVisible(empty);
    if (empty && !m_shown.isEmpty()) {
        m_emptyMark->setToolTip(tr("The answer at %1 carried no bytes; the views show the last "
                                   "non-empty command, from %2.")
                                    .arg(time.toString(QStringLiteral("HH:mm:ss")),
                                         m_shownTime.toString(QStringLiteral("HH:mm:ss"))));
    }
}

void CommandInspector::renderViews()
{
    if (m_shown.isEmpty()) {
        const QString empty = m_hasCommand
                                  ? tr("Only empty commands so far: the gateway has nothing new "
                                       "for this device.")
                                  : tr("No command yet.\n\nConnect, then send a status: the "
                                       "gateway's answer appears here.");
        for (QPlainTextEdit* view : {m_text, m_json, m_hex, m_decoded})
            view->setPlainText(empty);
        return;
    }
    const std::optional<QString> text = exactUtf8(m_shown);
    m_text->setPlainText(
        text ? *text
             : tr("(binary: %1 bytes that are not UTF-8 text; see Hex dump)").arg(m_shown.size()));
    const JsonCheck json = checkJson(m_shown);
    m_json->setPlainText(json.ok() ? QString::fromUtf8(payloadformat::reformatJson(m_shown, true))
                                   : tr("Not JSON: %1").arg(json.error->toString()));
    m_hex->setPlainText(hexDump(m_shown));
    QString decoded =
        QStringLiteral("%1:\n%2").arg(ModuleCatalog::moduleName(m_shownModule),
                                      ModuleCatalog::describeCommand(m_shownModule, m_shown));
    // Protobuf payloads (the mission module up to 1.2.x) get their whole message spelled out;
    // JSON payloads already have the JSON view.
    if (m_shownModule == ModuleNumber::Mission &&
        ModuleCatalog::missionEncoding(m_shown) == MissionEncoding::Protobuf) {
        const QString pretty = ModuleCatalog::prettyCommand(m_shownModule, m_shown);
        if (!pretty.isEmpty())
            decoded += tr("\n\nAutonomyCommand (protobuf), field by field:\n%1").arg(pretty);
    }
    m_decoded->setPlainText(decoded);
}

} // namespace fleet
