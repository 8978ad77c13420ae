#pragma once

#include <QList>
#include <QWidget>

namespace hookbench {

// A small line chart of a rate over the last minute (one sample per second): how busy a
// listener is, at a glance, next to its state text. Scales to the largest sample shown.
class RateSparkline : public QWidget
{
    Q_OBJECT

public:
    explicit RateSparkline(QWidget *parent = nullptr);

    void setCapacity(int samples);
    int capacity() const { return m_capacity; }
    void addSample(double value);
    void clear();
    const QList<double> &samples() const { return m_samples; }
    double peak() const;

    QSize sizeHint() const override { return {90, 22}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_capacity = 60;
    QList<double> m_samples; // oldest first
};

} // namespace hookbench
