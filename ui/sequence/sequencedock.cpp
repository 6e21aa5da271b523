#include "sequencedock.h"

#include "sequencemodel.h"
#include "sequenceview.h"
#include "trafficframe.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSaveFile>
#include <QToolButton>
#include <QVBoxLayout>

namespace fleet {

SequenceDock::SequenceDock(SequenceModel* model, TrafficLogView* traffic, QWidget* parent)
    : QDockWidget(tr("Sequence"), parent)
    , m_model(model)
    , m_traffic(traffic)
{
    setObjectName(QStringLiteral("sequenceDock"));
    m_view = new SequenceView(m_model);
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(buildBar());
    layout->addWidget(m_view, 1);
    m_message = new QLabel;
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);
    setWidget(content);

    connect(m_view, &SequenceView::followingChanged, this, &SequenceDock::updateStatus);
    connect(m_view, &SequenceView::frameClicked, this,
            [this](qint64 seq) { selectInLog(seq, false); });
    connect(m_view, &SequenceView::frameDoubleClicked, this,
            [this](qint64 seq) { selectInLog(seq, true); });
    connect(m_model, &SequenceModel::modelReset, this, &SequenceDock::updateStatus);
    if (m_traffic) {
        // The log's tooltips and detail pane say where a command came from, as drawn here.
        m_traffic->setAnswerSources(m_model);
        // One device filter for both views: the traffic log's.
        connect(m_traffic, &TrafficLogView::viewConfigChanged, this,
                &SequenceDock::followTrafficFilter);
        followTrafficFilter();
    }
    updateStatus();
}

QWidget* SequenceDock::buildBar()
{
    auto* bar = new QWidget;
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_pause = new QToolButton;
    m_pause->setObjectName(QStringLiteral("pauseSequence"));
    m_pause->setText(tr("Pause"));
    m_pause->setToolTip(tr("Hold the diagram still (scrolling up does too)."));
    m_follow = new QToolButton;
    m_follow->setObjectName(QStringLiteral("followSequence"));
    m_follow->setText(tr("Follow"));
    m_follow->setToolTip(tr("Scroll with the conversation again."));
    connect(m_pause, &QToolButton::clicked, this, [this] { m_view->setFollowing(false); });
    connect(m_follow, &QToolButton::clicked, this, [this] { m_view->setFollowing(true); });

    m_filter = new QLabel;
    m_filter->setToolTip(tr("The diagram shows the device chosen in the traffic log's filter."));

    auto* svg = new QToolButton;
    svg->setObjectName(QStringLiteral("exportSequenceSvg"));
    svg->setText(tr("Export SVG…"));
    svg->setToolTip(tr("Save the rows in view as an SVG drawing."));
    connect(svg, &QToolButton::clicked, this, [this] { chooseExportFile(false); });
    auto* png = new QToolButton;
    png->setObjectName(QStringLiteral("exportSequencePng"));
    png->setText(tr("Export PNG…"));
    png->setToolTip(tr("Save the rows in view as a PNG image."));
    connect(png, &QToolButton::clicked, this, [this] { chooseExportFile(true); });

    row->addWidget(m_pause);
    row->addWidget(m_follow);
    row->addWidget(m_filter, 1);
    row->addWidget(svg);
    row->addWidget(png);
    return bar;
}

void SequenceDock::followTrafficFilter()
{
    m_model->setDeviceFilter(m_traffic->filter()->deviceFilter());
    updateStatus();
}

void SequenceDock::updateStatus()
{
    const bool following = m_view->isFollowing();
    m_pause->setEnabled(following);
    m_follow->setEnabled(!following);
    const QString device = m_model->deviceFilter();
    m_filter->setText(
        device.isEmpty()
            ? tr("All devices")
            : tr("Device: %1 (the traffic log's filter)").arg(readableDeviceLabel(device)));
}

void SequenceDock::selectInLog(qint64 seq, bool raise)
{
    if (!m_traffic)
        return;
    const int row = m_model->logRow(seq);
    if (row < 0) {
        showMessage(tr("That frame has left the traffic log (it keeps the latest %1 frames).")
                        .arg(QLocale().toString(m_model->log()->capacity())),
                    true);
        return;
    }
    if (!m_traffic->selectFrame(row)) {
        showMessage(tr("The traffic log's filters hide that frame."), true);
        return;
    }
    m_message->hide();
    if (raise) {
        m_traffic->show();
        m_traffic->raise();
    }
}

void SequenceDock::chooseExportFile(bool png)
{
    // Not getSaveFileName(): its nested event loop would stall the live diagram.
    auto* dialog =
        new QFileDialog(this, png ? tr("Export sequence as PNG") : tr("Export sequence as SVG"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    const QString suffix = png ? QStringLiteral("png") : QStringLiteral("svg");
    dialog->setNameFilter(png ? tr("PNG image (*.png)") : tr("SVG drawing (*.svg)"));
    dialog->setDefaultSuffix(suffix);
    dialog->selectFile(
        QStringLiteral("sequence-%1.%2")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")), suffix));
    connect(dialog, &QFileDialog::fileSelected, this, [this, png](const QString& fileName) {
        if (png)
            exportPng(fileName);
        else
            exportSvg(fileName);
    });
    dialog->open();
}

bool SequenceDock::exportSvg(const QString& fileName)
{
    const SequenceLayout layout = m_view->layoutInView();
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(sequenceSvg(layout)) < 0 || !file.commit()) {
        showMessage(tr("Could not write %1: %2").arg(fileName, file.errorString()), true);
        return false;
    }
    showMessage(tr("Exported %1 rows to %2.").arg(layout.items.size()).arg(fileName), false);
    return true;
}

bool SequenceDock::exportPng(const QString& fileName)
{
    const SequenceLayout layout = m_view->layoutInView();
    const QImage image = SequenceView::renderImage(layout, devicePixelRatioF());
    if (!image.save(fileName, "PNG")) {
        showMessage(tr("Could not write %1.").arg(fileName), true);
        return false;
    }
    showMessage(tr("Exported %1 rows to %2.").arg(layout.items.size()).arg(fileName), false);
    return true;
}

void SequenceDock::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c01c28;") : QString());
    m_message->show();
}

QString SequenceDock::messageText() const
{
    return m_message->text();
}

} // namespace fleet
