#pragma once

#include "sequencemodel.h"

#include <QColor>
#include <QList>
#include <QString>

namespace fleet {

// Sizes of the diagram in pixels (device-independent).
struct SequenceMetrics {
    qreal timeWidth = 92;    // the clock column on the left
    qreal laneWidth = 170;   // one lifeline's column
    qreal rowHeight = 30;    // one message
    qreal headerHeight = 34; // the lifelines' titles
    qreal markRadius = 5;
};

// The colour and stroke of a role (docs/sequence.md#colours): one table for the painter and
// the SVG writer, so an export looks like the dock.
struct SequenceStroke {
    QColor color;
    bool dashed = false; // the operator's queue
    bool dotted = false; // pushed
};
SequenceStroke sequenceStroke(SequenceRole role);

struct SequenceLaneGeometry {
    qreal x = 0; // the lifeline's centre
    QString title;
    QString tooltip;
};

// One row's geometry: an arrow from x1 to x2 at y, a mark at x1, or a group's text.
struct SequenceItem {
    int row = 0;    // the model's row
    qint64 seq = 0; // the frame behind it (a group: its newest frame)
    SequenceRole role = SequenceRole::Request;
    qreal top = 0; // the row's band: [top, top + rowHeight)
    qreal y = 0;   // the arrow's line
    qreal x1 = 0;
    qreal x2 = 0;
    QString time; // "12:00:01.123" (local time)
    QString label;
    QString roundTrip; // "0.42 ms" on answers

    bool isMark() const
    {
        return role == SequenceRole::OpenMark || role == SequenceRole::CloseMark ||
               role == SequenceRole::ErrorMark;
    }
};

// The geometry of rows [firstRow, firstRow + rowCount) of the model, the first one at
// metrics.headerHeight + topOffset: used both by the dock's painter (only the rows in view)
// and by the SVG writer, so that what is exported is what is shown.
struct SequenceLayout {
    SequenceMetrics metrics;
    QList<SequenceLaneGeometry> lanes;
    QList<SequenceItem> items;
    qreal width = 0;
    qreal height = 0; // header plus the rows laid out
};
SequenceLayout layoutSequence(const SequenceModel& model, int firstRow, int rowCount,
                              const SequenceMetrics& metrics = {}, qreal topOffset = 0);

// The layout as a standalone SVG document (UTF-8 text, no Qt Svg needed): the lifelines, then
// one <g class="arrow"> per message, <g class="mark"> per lifeline mark and
// <g class="group"> per group row, each carrying data-seq.
QByteArray sequenceSvg(const SequenceLayout& layout);

} // namespace fleet
