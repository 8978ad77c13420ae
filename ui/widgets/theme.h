#pragma once

#include <QObject>
#include <QPalette>

namespace hookbench {

// Tells the widgets whether the application currently looks light or dark, and when that
// changes. Qt 6.4 has no colour-scheme API: the platform theme (or the user's choice) sets the
// palette, so "dark" means the window colour is dark. Watches the application for palette and
// theme changes; widgets that paint with verdict colours connect to changed().
class Theme : public QObject
{
    Q_OBJECT

public:
    enum class Appearance {
        System, // whatever the platform palette says
        Light, // Fusion's light palette
        Dark, // a dark Fusion palette
    };
    Q_ENUM(Appearance)

    explicit Theme(QObject *parent = nullptr);

    static bool isDark(const QPalette &palette);
    bool isDark() const { return m_dark; }

    // Forces light or dark, or goes back to the platform's palette. Emits changed() when the
    // result differs.
    void setAppearance(Appearance appearance);
    Appearance appearance() const { return m_appearance; }
    static QPalette darkPalette();
    static QPalette lightPalette();

signals:
    void changed(bool dark);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void recheck();

    Appearance m_appearance = Appearance::System;
    QPalette m_systemPalette;
    bool m_dark = false;
};

} // namespace hookbench
