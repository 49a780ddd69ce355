"""The notification service: notifications for users (in-app, e-mail, SMS, Web Push) and
patients (SMS, e-mail), rendered from English and Arabic templates, with delivery tracking,
provider status webhooks, user preferences and quiet hours.

Consumes ``appointment.scheduled``, ``appointment.cancelled``, ``lab.result.critical``,
``vitals.critical`` and ``payment.completed``; publishes ``notification.created`` (in-app
notifications, pushed live by the gateway) and ``notification.sent``.
"""
