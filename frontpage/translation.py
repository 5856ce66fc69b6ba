from modeltranslation.translator import TranslationOptions, register

from frontpage.models import Block, Slot


@register(Block)
class BlockTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Slot)
class SlotTranslationOptions(TranslationOptions):
    fields = ("label", "url")
