#include "protobuflog.h"

#include <google/protobuf/stubs/common.h>
#include <google/protobuf/stubs/logging.h>

#include <QLoggingCategory>

#include <atomic>
#include <mutex>
#include <string>

// Off unless asked for: see protobuflog.h.
Q_LOGGING_CATEGORY(lcProtobuf, "fleet.protobuf", QtInfoMsg)

namespace fleet::ProtobufLog {

namespace {

// A message longer than this is cut: it may quote bytes a peer sent.
constexpr std::size_t kMaxKeptChars = 300;

std::atomic<quint64> g_messages{0};

std::string& lastMessage()
{
    thread_local std::string message;
    return message;
}

void handle(google::protobuf::LogLevel level, const char* filename, int line,
            const std::string& message)
{
    g_messages.fetch_add(1, std::memory_order_relaxed);
    lastMessage() = message.substr(0, kMaxKeptChars);
    if (lcProtobuf().isDebugEnabled())
        qCDebug(lcProtobuf).noquote() << "libprotobuf" << int(level) << filename << line
                                      << QString::fromStdString(lastMessage());
}

} // namespace

void install()
{
    static std::once_flag once;
    std::call_once(once, [] { google::protobuf::SetLogHandler(&handle); });
}

quint64 messageCount()
{
    return g_messages.load(std::memory_order_relaxed);
}

QString takeLastMessage()
{
    std::string& message = lastMessage();
    if (message.empty())
        return {};
    QString text = QString::fromUtf8(message.data(), qsizetype(message.size()));
    message.clear();
    return text;
}

} // namespace fleet::ProtobufLog
