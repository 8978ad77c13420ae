#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QWidget;

namespace hookbench {

class CaptureDetailView;
class CaptureExport;
class CaptureTable;
class CaptureWriter;

// What the user does to the captures themselves: copy one as curl, copy or save its body, delete
// the selected ones, reveal the store file (the actions copyAsCurl, copyBody, saveBody,
// deleteCaptures, revealStore). Kept out of the window, which only composes the workbench.
class CaptureActions : public QObject
{
    Q_OBJECT

public:
    // `exportDirectory`: where curl body files go.
    CaptureActions(QWidget *window, CaptureTable *captures, CaptureWriter *writer, const QString &exportDirectory);
    ~CaptureActions() override;

    void copyAsCurl();
    void copyBody();
    void saveBody();
    void deleteSelected();
    void revealStore();

signals:
    void message(const QString &text);

private:
    QWidget *m_window;
    CaptureTable *m_captures;
    CaptureDetailView *m_details; // the capture the actions act on
    CaptureWriter *m_writer;
    std::unique_ptr<CaptureExport> m_export;
};

} // namespace hookbench
