#include "sequencelayout.h"

#include <QDateTime>
#include <QXmlStreamWriter>

namespace fleet {

SequenceStroke sequenceStroke(SequenceRole role)
{
    switch (role) {
    case SequenceRole::Request:
        return {QColor(0x1c, 0x4e, 0x80)};
    case SequenceRole::Answer:
        return {QColor(0x2e, 0x6b, 0x30)};
    case SequenceRole::ModuleAnswer:
        return {QColor(0x0b, 0x7a, 0x75)};
    case SequenceRole::QueuedAnswer:
        return {QColor(0x6a, 0x3d, 0x9a), true, false};
    case SequenceRole::Pushed:
        return {QColor(0xb3, 0x5c, 0x00), false, true};
    case SequenceRole::Refusal:
    case SequenceRole::Error:
    case SequenceRole::ErrorMark:
        return {QColor(0xc0, 0x1c, 0x28)};
    case SequenceRole::OpenMark:
    case SequenceRole::CloseMark:
    case SequenceRole::Group:
        return {QColor(0x5e, 0x5c, 0x64)};
    }
    return {QColor(Qt::black)};
}

SequenceLayout layoutSequence(const SequenceModel& model, int firstRow, int rowCount,
                              const SequenceMetrics& metrics, qreal topOffset)
{
    SequenceLayout layout;
    layout.metrics = metrics;
    const QList<SequenceLane> lanes = model.lanes();
    for (int i = 0; i < lanes.size(); ++i)
        layout.lanes.append(
            {metrics.timeWidth + metrics.laneWidth * (i + 0.5), lanes[i].title, lanes[i].tooltip});
    layout.width = metrics.timeWidth + metrics.laneWidth * qMax<qsizetype>(1, lanes.size());
    firstRow = qBound(0, firstRow, model.rowCount());
    rowCount = qBound(0, rowCount, model.rowCount() - firstRow);
    layout.height = metrics.headerHeight + rowCount * metrics.rowHeight;
    const auto laneX = [&](int lane) {
        return lane >= 0 && lane < layout.lanes.size() ? layout.lanes[lane].x : metrics.timeWidth;
    };
    layout.items.reserve(rowCount);
    for (int i = 0; i < rowCount; ++i) {
        const int row = firstRow + i;
        const SequenceMessage& message = model.message(row);
        SequenceItem item;
        item.row = row;
        item.seq = message.role == SequenceRole::Group ? message.lastSeq : message.seq;
        item.role = message.role;
        item.top = metrics.headerHeight + topOffset + i * metrics.rowHeight;
        item.y = item.top + metrics.rowHeight * 0.7;
        if (message.role == SequenceRole::Group) {
            const int gateway = lanes.size() > 1 && lanes[0].kind == SequenceLaneKind::Module;
            item.x1 = laneX(gateway);
            item.x2 = laneX(model.laneOf(message, true));
        } else {
            item.x1 = laneX(model.laneOf(message, true));
            item.x2 = laneX(model.laneOf(message, false));
        }
        item.time =
            QDateTime::fromMSecsSinceEpoch(message.timeMs).toString(QStringLiteral("HH:mm:ss.zzz"));
        item.label = model.label(message);
        item.roundTrip = SequenceModel::roundTripText(message);
        layout.items.append(item);
    }
    return layout;
}

namespace {

QString number(qreal value)
{
    return QString::number(value, 'f', 1);
}

void writeText(QXmlStreamWriter& xml, qreal x, qreal y, const QString& anchor, const QString& text,
               const QString& cls)
{
    xml.writeStartElement(QStringLiteral("text"));
    xml.writeAttribute(QStringLiteral("class"), cls);
    xml.writeAttribute(QStringLiteral("x"), number(x));
    xml.writeAttribute(QStringLiteral("y"), number(y));
    xml.writeAttribute(QStringLiteral("text-anchor"), anchor);
    xml.writeCharacters(text);
    xml.writeEndElement();
}

} // namespace

QByteArray sequenceSvg(const SequenceLayout& layout)
{
    const SequenceMetrics& m = layout.metrics;
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("svg"));
    xml.writeDefaultNamespace(QStringLiteral("http://www.w3.org/2000/svg"));
    xml.writeAttribute(QStringLiteral("width"), number(layout.width));
    xml.writeAttribute(QStringLiteral("height"), number(layout.height));
    xml.writeAttribute(
        QStringLiteral("viewBox"),
        QStringLiteral("0 0 %1 %2").arg(number(layout.width), number(layout.height)));
    xml.writeAttribute(QStringLiteral("font-family"), QStringLiteral("sans-serif"));
    xml.writeAttribute(QStringLiteral("font-size"), QStringLiteral("11"));

    xml.writeStartElement(QStringLiteral("rect"));
    xml.writeAttribute(QStringLiteral("width"), QStringLiteral("100%"));
    xml.writeAttribute(QStringLiteral("height"), QStringLiteral("100%"));
    xml.writeAttribute(QStringLiteral("fill"), QStringLiteral("#ffffff"));
    xml.writeEndElement();

    xml.writeStartElement(QStringLiteral("g"));
    xml.writeAttribute(QStringLiteral("class"), QStringLiteral("lanes"));
    for (const SequenceLaneGeometry& lane : layout.lanes) {
        xml.writeStartElement(QStringLiteral("g"));
        xml.writeAttribute(QStringLiteral("class"), QStringLiteral("lane"));
        writeText(xml, lane.x, m.headerHeight * 0.6, QStringLiteral("middle"), lane.title,
                  QStringLiteral("title"));
        xml.writeStartElement(QStringLiteral("line"));
        xml.writeAttribute(QStringLiteral("x1"), number(lane.x));
        xml.writeAttribute(QStringLiteral("y1"), number(m.headerHeight));
        xml.writeAttribute(QStringLiteral("x2"), number(lane.x));
        xml.writeAttribute(QStringLiteral("y2"), number(layout.height));
        xml.writeAttribute(QStringLiteral("stroke"), QStringLiteral("#b0b0b8"));
        xml.writeEndElement();
        xml.writeEndElement();
    }
    xml.writeEndElement();

    for (const SequenceItem& item : layout.items) {
        const SequenceStroke stroke = sequenceStroke(item.role);
        const QString color = stroke.color.name();
        const QString cls = item.isMark()                      ? QStringLiteral("mark")
                            : item.role == SequenceRole::Group ? QStringLiteral("group")
                                                               : QStringLiteral("arrow");
        xml.writeStartElement(QStringLiteral("g"));
        xml.writeAttribute(QStringLiteral("class"), cls);
        xml.writeAttribute(QStringLiteral("data-seq"), QString::number(item.seq));
        xml.writeAttribute(QStringLiteral("fill"), color);
        writeText(xml, 4, item.y + 4, QStringLiteral("start"), item.time, QStringLiteral("time"));
        if (item.isMark()) {
            xml.writeStartElement(QStringLiteral("circle"));
            xml.writeAttribute(QStringLiteral("cx"), number(item.x1));
            xml.writeAttribute(QStringLiteral("cy"), number(item.y));
            xml.writeAttribute(QStringLiteral("r"), number(m.markRadius));
            xml.writeEndElement();
            // Left of the mark: device lifelines lie right of the gateway, so there is room.
            writeText(xml, item.x1 - 2 * m.markRadius, item.y + 4, QStringLiteral("end"),
                      item.label, QStringLiteral("label"));
        } else if (item.role == SequenceRole::Group) {
            writeText(xml, (item.x1 + item.x2) / 2, item.y, QStringLiteral("middle"), item.label,
                      QStringLiteral("label"));
        } else {
            const qreal dir = item.x2 >= item.x1 ? 1 : -1;
            const qreal tip = item.x2 - dir * 2;
            xml.writeStartElement(QStringLiteral("line"));
            xml.writeAttribute(QStringLiteral("x1"), number(item.x1));
            xml.writeAttribute(QStringLiteral("y1"), number(item.y));
            xml.writeAttribute(QStringLiteral("x2"), number(tip - dir * 6));
            xml.writeAttribute(QStringLiteral("y2"), number(item.y));
            xml.writeAttribute(QStringLiteral("stroke"), color);
            xml.writeAttribute(QStringLiteral("stroke-width"), QStringLiteral("1.5"));
            if (stroke.dashed)
                xml.writeAttribute(QStringLiteral("stroke-dasharray"), QStringLiteral("6 3"));
            if (stroke.dotted)
                xml.writeAttribute(QStringLiteral("stroke-dasharray"), QStringLiteral("2 3"));
            xml.writeEndElement();
            xml.writeStartElement(QStringLiteral("polygon"));
            xml.writeAttribute(QStringLiteral("points"),
                               QStringLiteral("%1,%2 %3,%4 %3,%5")
                                   .arg(number(tip), number(item.y), number(tip - dir * 8),
                                        number(item.y - 4), number(item.y + 4)));
            xml.writeEndElement();
            writeText(xml, (item.x1 + item.x2) / 2, item.y - 5, QStringLiteral("middle"),
                      item.label, QStringLiteral("label"));
            if (!item.roundTrip.isEmpty())
                writeText(xml, item.x2 - dir * 10, item.y + 12,
                          dir > 0 ? QStringLiteral("end") : QStringLiteral("start"), item.roundTrip,
                          QStringLiteral("rtt"));
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

} // namespace fleet
