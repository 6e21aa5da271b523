#include "closeconfirmation.h"

#include <QCheckBox>
#include <QMessageBox>
#include <QPushButton>

namespace fleet {

QMessageBox* askBeforeClosingConnected(QWidget* parent, const QString& deviceTitle,
                                       std::function<void(bool dontAskAgain)> onClose)
{
    auto* box = new QMessageBox(parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("closeConnectedDevice"));
    box->setIcon(QMessageBox::Question);
    box->setWindowTitle(QObject::tr("Close device"));
    box->setText(QObject::tr("\"%1\" is connected. Close it and its connection?").arg(deviceTitle));
    box->setInformativeText(QObject::tr("The gateway frees the device's slot; its settings "
                                        "and the traffic log stay."));
    QPushButton* close = box->addButton(QObject::tr("Close device"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(close);
    auto* dontAsk = new QCheckBox(QObject::tr("Don't ask again"));
    dontAsk->setToolTip(QObject::tr("Saved with the settings; File › Ask before closing a "
                                    "connected device turns the question back on."));
    box->setCheckBox(dontAsk);
    QObject::connect(box, &QMessageBox::buttonClicked, box,
                     [box, close, dontAsk, onClose = std::move(onClose)](QAbstractButton* button) {
                         if (button == close)
                             onClose(dontAsk->isChecked());
                         box->close();
                     });
    box->open();
    return box;
}

} // namespace fleet
