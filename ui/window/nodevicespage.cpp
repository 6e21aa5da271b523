#include "nodevicespage.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace fleet {

QWidget* createNoDevicesPage(QAction* newDevice)
{
    auto* page = new QWidget;
    page->setObjectName(QStringLiteral("noDevicesPage"));
    auto* text = new QLabel(QObject::tr("<h3>No devices</h3><p>A device session lets this "
                                        "console act as a device: pick an identity, connect to "
                                        "a gateway, send statuses and watch the commands.</p>"));
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    auto* button = new QPushButton(QObject::tr("New device (Ctrl+N)"));
    button->setIcon(newDevice->icon());
    QObject::connect(button, &QPushButton::clicked, newDevice, &QAction::trigger);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(text);
    layout->addWidget(button, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    return page;
}

} // namespace fleet
