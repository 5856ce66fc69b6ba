from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from embeds import services
from embeds.forms import FIELD, GalleryForm
from embeds.models import Embed, Gallery, GalleryItem


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    """Every link that became an embed or a card, and why; the card's text is the editor's."""

    list_display = ("address", "provider", "kind", "status", "reason_text", "updated_at")
    list_display_links = ("address",)
    list_filter = ("provider", "status", "kind")
    search_fields = ("url", "title", "author_name")
    fields = (  # «address» by its display: «العنوان» would be read as the title's twin
        "address", "provider", "kind", "status", "reason_text", "title", "author_name",
        "player_url", "thumbnail", "fetched_at",
    )  # fmt: skip
    readonly_fields = (
        "address", "provider", "kind", "status", "reason_text", "player_url", "fetched_at",
    )  # fmt: skip
    raw_id_fields = ("thumbnail",)
    actions = ("fetch_again",)

    @admin.display(description=_("link address"), ordering="url")
    def address(self, embed):
        """Left to right and isolated: in the right-to-left list, «https://…/p/x/» kept its
        trailing slash at the front."""
        return format_html('<bdi dir="ltr" class="embed-address">{}</bdi>', embed.url)

    @admin.display(description=_("why a card"))
    def reason_text(self, embed):
        return embed.get_reason_display() if embed.reason else "—"

    def has_add_permission(self, request):
        return False  # embeds come from links in articles' bodies

    @admin.action(description=_("Ask the providers again"))
    def fetch_again(self, request, queryset):
        """Says what came of it: how many are now the provider's player or post, and each one
        still a link card with its reason (it said every one was "asked again", also those no
        provider could be asked for)."""
        embeds = [services.resolve(embed.url, refresh=True) for embed in queryset]
        cards = [embed for embed in embeds if embed.status == Embed.Status.CARD]
        shown = len(embeds) - len(cards)
        if shown:
            self.message_user(
                request,
                ngettext(
                    "%(count)d embed is shown as its provider's player or post.",
                    "%(count)d embeds are shown as their providers' players or posts.",
                    shown,
                )
                % {"count": shown},
            )
        for embed in cards:
            self.message_user(
                request,
                format_html(
                    '{} <bdi dir="ltr">{}</bdi>: {}',
                    _("Still a link card:"),
                    embed.url,
                    embed.get_reason_display(),
                ),
                messages.WARNING,
            )


class GalleryItemInline(admin.TabularInline):
    model = GalleryItem
    extra = 3
    raw_id_fields = ("image",)
    fields = ("position", "preview", "image", "alt_text", "caption", "credit")
    readonly_fields = ("preview",)
    ordering = ("position", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("image")

    @admin.display(description=_("preview"))
    def preview(self, item):
        """The photo itself beside its alt text: the row showed only the library's number."""
        thumbnail = item.image.thumbnail if item.pk and item.image_id else None
        if not thumbnail:
            return "—"
        return format_html(
            '<img src="{}{}" alt="" width="96" class="gallery-item-preview" loading="lazy">',
            settings.MEDIA_URL,
            thumbnail.get("jpg") or thumbnail.get("webp"),
        )


@admin.register(Gallery)
class GalleryAdmin(admin.ModelAdmin):
    """Photo galleries: ordered library images with their own alt text, caption and credit."""

    list_display = ("title", "size", "body_code", "lead_of", "updated_at")
    search_fields = ("title",)
    raw_id_fields = ("lead_of",)
    readonly_fields = ("body_code",)
    fields = ("title", "body_code", "lead_of", FIELD)
    inlines = (GalleryItemInline,)
    form = GalleryForm

    class Media:
        js = ("js/gallery-rows.js",)  # a row per chosen image at once: one save adds them

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not request.user.has_perm("articles.add_mediaimage"):
            fields = [name for name in fields if name != FIELD]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.has_perm("articles.add_mediaimage"):
            return form  # no uploads: the field is not shown and nothing is read from it
        return type(form.__name__, (form,), {"kept_upload_user": request.user})

    def get_deleted_objects(self, objs, request):
        """The delete page names, before the editor confirms, the articles that show the
        gallery (as their lead, or by its code in their body): it vanished from them without
        a word."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for gallery in objs:
            using = list(gallery.articles_showing())
            if using:
                messages.warning(
                    request,
                    format_html(
                        "{} {}",
                        _("These articles show this gallery and will show it no more:"),
                        format_html_join("، ", "«{}»", ((article.title,) for article in using)),
                    ),
                )
        return deleted, counts, perms_needed, protected

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = getattr(context.get("adminform"), "form", None)
        if isinstance(form, GalleryForm) and form.is_bound:
            form.keep_new_images()  # a returned form: the images chosen stay chosen
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if isinstance(form, GalleryForm) and form.kept_upload_user is not None:
            added = form.save_new_images(form.instance)
            if added:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d image added to the gallery.",
                        "%(count)d images added to the gallery.",
                        added,
                    )
                    % {"count": added},
                    messages.SUCCESS,
                )

    @admin.display(description=_("images"))
    def size(self, gallery):
        return gallery.items.count()

    @admin.display(description=_("to show it in a body"))
    def body_code(self, gallery):
        if gallery.pk is None:
            return "—"
        return format_html('<code dir="ltr">{}</code>', gallery.shortcode)
