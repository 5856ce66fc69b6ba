from django.contrib import admin

from archive.models import ImportedArticle, ImportedGallery, LegacyPath


@admin.register(ImportedArticle)
class ImportedArticleAdmin(admin.ModelAdmin):
    list_display = ("article", "source", "source_id", "imported_views", "imported_at")
    list_filter = ("source",)
    search_fields = ("source_id", "article__title_ar", "position")
    raw_id_fields = ("article",)
    readonly_fields = ("checksum", "imported_at")


@admin.register(LegacyPath)
class LegacyPathAdmin(admin.ModelAdmin):
    list_display = ("path", "article")
    search_fields = ("path", "article__title_ar")
    raw_id_fields = ("article",)


@admin.register(ImportedGallery)
class ImportedGalleryAdmin(admin.ModelAdmin):
    """Galleries made by the import; an incomplete one waits for its images (next run)."""

    list_display = ("gallery", "source", "source_id", "number", "complete")
    list_filter = ("complete", "source")
    search_fields = ("source_id", "gallery__title")
    raw_id_fields = ("gallery",)
    readonly_fields = ("images",)
