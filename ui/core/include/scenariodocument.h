#pragma once

#include "scenario.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

namespace fleet {

// Why an edit of a scenario was refused: the parser's error in the whole file, and where it
// lies in the text the operator edited (0 when the fault is elsewhere, e.g. a step removed
// that a later `expect_error` needed).
struct ScenarioEditError {
    ScenarioError error;
    int line = 0; // in the edited text, 1-based
    int column = 0;
    // "line 1, column 38: steps[4] (expect_command): …" for a fault in the edited text, else
    // the parser's "FILE:LINE:COLUMN: STEP: …".
    QString toString() const;
};

// A scenario file being edited in the console (docs/scenarios.md#in-the-console): its header
// and its steps as written, so that saving changes nothing the operator did not touch — a
// `json` source is sent exactly as written (spaces, key order, number spelling), which a
// QJsonObject would not keep. Every edit is checked by Scenario::parse() on the file it would
// make; a refused edit leaves the document as it was.
class ScenarioDocument : public QObject {
    Q_OBJECT
public:
    explicit ScenarioDocument(QObject* parent = nullptr);

    // A fresh, valid scenario: one example button and a connect; no file name yet.
    void reset();
    // Reads a file; on error the document is unchanged and *error names file:line:col: step.
    bool load(const QString& fileName, ScenarioError* error);
    bool loadBytes(const QByteArray& json, const QString& fileName, ScenarioError* error);
    // Writes serialize() to fileName, which becomes the document's file; clears the dirty flag.
    bool save(const QString& fileName, QString* error);

    // The file: indented, header keys in a readable order, each step as written.
    QByteArray serialize() const;
    QJsonObject json() const;
    const Scenario& scenario() const { return m_scenario; }

    QString fileName() const { return m_fileName; }
    // The file's name without folders, or "untitled.json".
    QString displayName() const;
    bool isDirty() const { return m_dirty; }

    int stepCount() const { return int(m_steps.size()); }
    // The text of a step as written; path as in ScenarioStep::path ("steps[3].steps[1]",
    // "steps[2].together[0]"). Empty for a path that names no step.
    QString stepText(const QString& path) const;

    // Each edit returns false with *error and leaves the document unchanged when the file
    // it would make does not parse.
    bool replaceStep(const QString& path, const QString& text, ScenarioEditError* error);
    bool insertStep(int index, const QString& text, ScenarioEditError* error);
    bool removeStep(int index, ScenarioEditError* error);
    bool moveStep(int from, int to, ScenarioEditError* error);

    // A small valid step of this kind naming the scenario's first device (its first living
    // device for expect_state), to start an edit from.
    QString stepTemplate(ScenarioStep::Kind kind) const;

signals:
    // The steps or the header changed (re-read scenario()); a load or reset included.
    void changed();
    void dirtyChanged(bool dirty);
    void fileNameChanged(const QString& fileName);

private:
    struct Layout {
        QByteArray bytes;
        QList<qsizetype> stepOffsets; // where each top-level step starts in bytes
    };
    Layout layout(const QList<QByteArray>& steps) const;
    // Parses the file `steps` would make; on success takes them. The edited text starts at
    // editedOffset inside step editedStep (for positions in *error).
    bool commit(const QList<QByteArray>& steps, int editedStep, qsizetype editedOffset,
                qsizetype editedLength, ScenarioEditError* error);
    QString parseName() const;
    void setDirty(bool dirty);
    void setFileName(const QString& fileName);

    QList<QPair<QString, QByteArray>> m_header; // every top-level key but "steps", as written
    QList<QByteArray> m_steps;                  // the top-level steps, as written
    Scenario m_scenario;
    QString m_fileName;
    bool m_dirty = false;
};

} // namespace fleet
