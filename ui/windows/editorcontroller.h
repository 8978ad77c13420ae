#pragma once

#include "capture/httprequest.h"

#include <QList>
#include <QObject>

class QMenu;
class QSettings;
class QTabWidget;
class QWidget;

namespace hookbench {

class CaptureDetailView;
class CaptureListModel;
class CaptureTable;
class CaptureWriter;
class ListenerPanel;
class RequestEditor;
class Theme;

// The request editors: each open editor is a closable tab of the workspace (the tabs before
// them stay), opened from a capture ("Edit & replay…"), blank ("New request") or from another
// view with a request of its own. Owns the "&Request" menu; the window places it.
class EditorController : public QObject
{
    Q_OBJECT

public:
    EditorController(QWidget *window, QTabWidget *workspace, CaptureTable *captures, CaptureWriter *writer,
        ListenerPanel *listeners, Theme *theme, QSettings *settings);

    QMenu *menu() const { return m_menu; }

    // Opens `request` in a new editor tab, linked to `sourceCaptureId` (0: none) for the
    // signature badge, the attempt history and the attempts' capture link.
    RequestEditor *open(const HttpRequest &request, qint64 sourceCaptureId);
    void editSelectedCapture();
    void newRequest();
    QList<RequestEditor *> editors() const;

signals:
    void message(const QString &text);

private:
    QTabWidget *m_workspace;
    CaptureDetailView *m_details;
    CaptureListModel *m_model;
    CaptureWriter *m_writer;
    ListenerPanel *m_listeners;
    Theme *m_theme;
    QSettings *m_settings;
    QMenu *m_menu;
};

} // namespace hookbench
