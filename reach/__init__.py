"""Reaching readers off the site: one outbox of deliveries (Telegram channels first), made when an
article is published, corrected or unpublished and sent once by every jobs runner together."""
