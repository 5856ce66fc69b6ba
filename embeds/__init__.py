"""Rich media in articles: a provider's link alone on its line becomes an embed (oEmbed fetched at
save, our own copy of the thumbnail, never the provider's HTML) shown to readers as a
click-to-load facade."""
