#pragma once

#include "capture/capturesink.h"
#include "replay/captureloader.h"
#include "replay/replaybatch.h"

#include <QDialog>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSettings;
class QSpinBox;
class QTableWidget;

namespace hookbench {

class SecretKeeper;
class SecretLineEdit;

// Replays many stored captures to one URL (the GUI face of `hookbench replay`): the selected
// captures or every capture the list's filter matches, optionally re-signed, with a concurrency,
// an optional rate limit, a timeout and an explicit ignore-TLS-errors choice. It shows progress
// (done/total, rate, ETA, status counts as they come), can be cancelled, and ends with a summary:
// status counts per code, failures with their reasons, total time. Every attempt that went on
// the wire is stored through the sink, linked to its capture.
//
// Captures are read a small chunk at a time as slots free up (captureLoader), so thousands of
// ids never load every body at once. Non-modal: the window stays usable during a long batch.
class BatchReplayDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Source { Selection, Filter };

    struct Context
    {
        CaptureFetcher fetch; // reads captures by id, on this thread
        CaptureSink *sink = nullptr; // stores the attempts (the window's CaptureWriter)
        SecretKeeper *keeper = nullptr; // keeps the re-sign secret (null: kept by the field only)
        QSettings *settings = nullptr; // remembers the target and the choices (never the secret)
    };

    // A failed attempt as the summary lists it.
    struct FailureRow
    {
        qint64 captureId = 0;
        QString target;
        Attempt::Failure failure = Attempt::Failure::Other;
        QString reason;
    };

    static constexpr int defaultConcurrency = 4;
    static constexpr int maxConcurrency = 64;
    static constexpr qsizetype maxListedFailures = 1000;

    explicit BatchReplayDialog(Context context, QWidget *parent = nullptr);
    ~BatchReplayDialog() override;

    // What the two choices replay: the selected ids, and the ids the filter matches (read only
    // when that choice is replayed; `matchingCount` is shown meanwhile).
    void setCaptures(QList<qint64> selected, qint64 matchingCount, std::function<QList<qint64>()> matchingIds);
    // Just the filter's count changed (captures arrived or went): cheap, for live updates.
    void setMatchingCount(qint64 matchingCount);
    void setSource(Source source);
    Source source() const;

    // Validates the form and starts the batch. False with a one-line reason (also shown).
    bool start(QString *error = nullptr);
    // Starts nothing more and aborts what is in flight; the summary follows.
    void cancel();
    bool isRunning() const { return m_batch != nullptr; }
    // The last batch's summary, once it finished.
    const std::optional<ReplaySummary> &summary() const { return m_summary; }
    const QList<FailureRow> &failures() const { return m_failures; }
    QMap<int, qsizetype> statusCounts() const { return m_statusCounts; }
    int pendingWrites() const { return m_pendingWrites; }
    qsizetype storedAttempts() const { return m_stored; }
    QString summaryText() const;
    QString progressText() const;
    // Requests cut off in flight by the last cancel.
    qsizetype abortedCount() const { return m_aborted; }

    QRadioButton *selectionChoice() const { return m_selection; }
    QRadioButton *filterChoice() const { return m_filter; }
    QLineEdit *targetEdit() const { return m_target; }
    QCheckBox *resignBox() const { return m_resign; }
    QComboBox *schemeBox() const { return m_scheme; }
    SecretLineEdit *secretEdit() const { return m_secret; }
    QSpinBox *concurrencyBox() const { return m_concurrency; }
    QDoubleSpinBox *rateBox() const { return m_rate; }
    QDoubleSpinBox *timeoutBox() const { return m_timeout; }
    QCheckBox *insecureBox() const { return m_insecure; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QTableWidget *failureTable() const { return m_failureTable; }

signals:
    void batchStarted(qsizetype total);
    // The batch ended and every attempt it produced is stored (or failed to be).
    void batchDone(const hookbench::ReplaySummary &summary);

private:
    QString secretKey() const;
    void onAttempt(const Attempt &attempt);
    void onFinished(const ReplaySummary &summary);
    void finishIfStored();
    void refreshProgress();
    void updateChoices();
    void setFormEnabled(bool enabled);
    void showError(const QString &message);
    void saveChoices();

    Context m_context;
    QList<qint64> m_selectedIds;
    qint64 m_matchingCount = 0;
    std::function<QList<qint64>()> m_matchingIds;

    ReplayBatch *m_batch = nullptr;
    std::optional<ReplaySummary> m_summary;
    std::optional<ReplaySummary> m_finishedSummary; // waiting for the last writes
    QMap<int, qsizetype> m_statusCounts;
    QMap<Attempt::Failure, qsizetype> m_failureCounts;
    QList<FailureRow> m_failures;
    int m_pendingWrites = 0;
    qsizetype m_stored = 0;
    qsizetype m_aborted = 0; // in flight when cancelled
    bool m_cancelling = false;
    qsizetype m_storeFailures = 0;
    QString m_storeError;
    QTimer m_refresh;

    QRadioButton *m_selection;
    QRadioButton *m_filter;
    QLineEdit *m_target;
    QCheckBox *m_resign;
    QComboBox *m_scheme;
    SecretLineEdit *m_secret;
    QSpinBox *m_concurrency;
    QDoubleSpinBox *m_rate;
    QDoubleSpinBox *m_timeout;
    QCheckBox *m_insecure;
    QProgressBar *m_progress;
    QLabel *m_progressLabel;
    QLabel *m_countsLabel;
    QLabel *m_message;
    QLabel *m_summaryLabel;
    QTableWidget *m_failureTable;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QPushButton *m_close;
};

} // namespace hookbench
