#include "connectionindicator.h"

#include "elidedlabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QTimer>
#include <QVBoxLayout>

namespace fleet {

namespace {
constexpr int kSinceRefreshMs = 1000;
constexpr int kBarWidth = 6;
constexpr int kDotSize = 14;
constexpr int kRowSpacing = 8;
// The seconds count gains a digit now and then: the since text goes back beside the state
// only with this much room to spare, so it does not hop between the rows at the edge.
constexpr int kSinceSlackPx = 24;

const SessionStatus kAllStatuses[] = {
    SessionStatus::NotConnected,    SessionStatus::Connecting,      SessionStatus::Handshaking,
    SessionStatus::Connected,       SessionStatus::AwaitingCommand, SessionStatus::Reconnecting,
    SessionStatus::ClosedByGateway, SessionStatus::Disconnected,    SessionStatus::Failed,
};
} // namespace

ConnectionIndicator::ConnectionIndicator(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("connectionIndicator"));
    setFrameShape(QFrame::StyledPanel);
    // The dot and the bar are painted (paintEvent): a device that sends hundreds of statuses a
    // second changes state as often, and a style sheet would re-polish the frame each time.
    m_dot = new QLabel;
    m_dot->setFixedSize(kDotSize, kDotSize);
    m_state = new QLabel;
    QFont stateFont = m_state->font();
    stateFont.setBold(true);
    stateFont.setPointSizeF(stateFont.pointSizeF() * 1.15);
    m_state->setFont(stateFont);
    // As wide as the widest state: a new state never lays the window out again.
    int widest = 0;
    for (SessionStatus status : kAllStatuses)
        widest = qMax(widest, m_state->fontMetrics().horizontalAdvance(sessionStatusName(status)));
    m_state->setMinimumWidth(widest);
    m_since = new ElidedLabel;
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::RichText);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    m_note = new QLabel;
    // Plain text: notes quote device names and gateway details, which are not markup.
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setStyleSheet(QStringLiteral("color: #b26a00;"));
    m_note->hide();

    m_top = new QHBoxLayout;
    m_top->setSpacing(kRowSpacing);
    m_top->addWidget(m_dot);
    m_top->addWidget(m_state);
    m_top->addWidget(m_since, 1);
    m_rows = new QVBoxLayout(this);
    m_rows->setContentsMargins(kBarWidth + 6, 6, 12, 6);
    m_rows->setSpacing(4);
    m_rows->addLayout(m_top);
    m_rows->addWidget(m_error);
    m_rows->addWidget(m_note);

    m_tick = new QTimer(this);
    m_tick->setInterval(kSinceRefreshMs);
    connect(m_tick, &QTimer::timeout, this, &ConnectionIndicator::refreshSince);
    m_tick->start();
    refresh();
}

void ConnectionIndicator::setStatus(SessionStatus status, const QDateTime& since,
                                    const QString& server)
{
    if (status != m_status) {
        m_note->clear();
        m_note->hide();
    }
    m_status = status;
    m_sinceTime = since;
    m_server = server;
    if (status != SessionStatus::Failed) {
        m_error->clear();
        m_error->hide();
    }
    refresh();
}

void ConnectionIndicator::setError(InternalClient::Error error, const QString& detail,
                                   const QString& cause)
{
    const QString sentence = cause.isEmpty()
                                 ? InternalClient::errorSentence(error)
                                 : tr("The gateway closed the connection: %1.").arg(cause);
    const QString family = InternalClient::familyName(InternalClient::errorFamily(error));
    QString text = QStringLiteral("<b>%1</b> <span style=\"color:#777\">(%2 error)</span>: %3")
                       .arg(InternalClient::errorName(error).toHtmlEscaped(),
                            family.toHtmlEscaped(), sentence.toHtmlEscaped());
    if (!detail.isEmpty())
        text += QStringLiteral("<br><span style=\"color:#555\">Detail: %1</span>")
                    .arg(detail.toHtmlEscaped());
    m_error->setText(text);
    m_errorPlain =
        QStringLiteral("%1 (%2 error): %3").arg(InternalClient::errorName(error), family, sentence);
    if (!detail.isEmpty())
        m_errorPlain += QStringLiteral(" Detail: %1").arg(detail);
    m_error->show();
}

void ConnectionIndicator::setNote(const QString& text)
{
    m_note->setText(tr("⚠ %1").arg(text));
    m_note->setVisible(!text.isEmpty());
}

QString ConnectionIndicator::noteText() const
{
    return m_note->isHidden() ? QString() : m_note->text();
}

QString ConnectionIndicator::stateText() const
{
    return QStringLiteral("%1 · %2").arg(m_state->text(), m_since->text());
}

QString ConnectionIndicator::errorText() const
{
    return m_error->isHidden() ? QString() : m_errorPlain;
}

void ConnectionIndicator::refresh()
{
    const QColor color = sessionStatusColor(m_status);
    QPalette statePalette = m_state->palette();
    statePalette.setColor(QPalette::WindowText, color.darker(115));
    m_state->setPalette(statePalette);
    m_state->setText(sessionStatusName(m_status));
    refreshSince();
    update(); // the bar and the dot
}

void ConnectionIndicator::paintEvent(QPaintEvent* event)
{
    QFrame::paintEvent(event);
    const QColor color = sessionStatusColor(m_status);
    QPainter painter(this);
    painter.fillRect(QRect(0, 0, kBarWidth, height()), color);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(color.darker(140), 1));
    painter.setBrush(color);
    painter.drawEllipse(QRectF(m_dot->geometry()).adjusted(0.5, 0.5, -0.5, -0.5));
}

void ConnectionIndicator::resizeEvent(QResizeEvent* event)
{
    QFrame::resizeEvent(event);
    placeSince();
}

// Beside the state while the row has room for the whole text; on a line of its own below it
// when the indicator is narrow (a tab beside the sequence diagram, presentation mode's face),
// where "since …" alone would be all that is left of it.
void ConnectionIndicator::placeSince()
{
    const QMargins margins = m_rows->contentsMargins();
    const int row = width() - margins.left() - margins.right();
    const int beside =
        kDotSize + m_state->minimumWidth() + 2 * kRowSpacing + m_since->sizeHint().width();
    const bool below = m_rows->indexOf(m_since) >= 0;
    if (!below && beside > row) {
        m_top->removeWidget(m_since);
        m_rows->insertWidget(1, m_since);
    } else if (below && beside + kSinceSlackPx <= row) {
        m_rows->removeWidget(m_since);
        m_top->addWidget(m_since, 1);
    }
}

void ConnectionIndicator::refreshSince()
{
    QString since =
        tr("since %1").arg(elapsedText(m_sinceTime.msecsTo(QDateTime::currentDateTime())));
    if (m_status == SessionStatus::NotConnected)
        since = tr("press Connect to start the handshake");
    else if (!m_server.isEmpty())
        since += QStringLiteral(" · %1").arg(m_server);
    m_since->setText(since);
    placeSince();
}

} // namespace fleet
