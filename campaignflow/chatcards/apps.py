from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatcardsConfig(AppConfig):
    """Interactive cards in DingTalk / Feishu / WeCom and the daily numbers reminder (ADR 0018)."""

    name = "campaignflow.chatcards"
    label = "chatcards"
    verbose_name = _("Chat app cards")

    def ready(self) -> None:
        from campaignflow.core.scheduler import register_job
        from campaignflow.notifications import chat_channel

        from . import reminder, sender

        chat_channel.register(
            chat_channel.ChatChannel(
                reachable=sender.reachable,
                send=sender.send,
                available=sender.available,
                robot_buttons=sender.robot_buttons,
            )
        )
        register_job("chatcards.numbers_reminder", reminder.remind_due, every=300)
