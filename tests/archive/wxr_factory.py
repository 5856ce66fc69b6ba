"""Build small WordPress export (WXR 1.2) files for the archive tests."""

from xml.sax.saxutils import escape

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>الماسة السورية</title>
	<link>https://old.example.com</link>
	<language>ar</language>
{version}
	<wp:base_site_url>https://old.example.com</wp:base_site_url>
	<wp:base_blog_url>https://old.example.com</wp:base_blog_url>
{authors}
"""
FOOTER = "</channel>\n</rss>\n"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login: str, display_name: str) -> str:
    return (
        f"\t<wp:author><wp:author_id>1</wp:author_id><wp:author_login>{cdata(login)}"
        f"</wp:author_login><wp:author_email>{login}@example.com</wp:author_email>"
        f"<wp:author_display_name>{cdata(display_name)}</wp:author_display_name></wp:author>"
    )


def comment(
    comment_id, text, *, parent=0, approved="1", kind="", name="قارئ", date="2017-04-28 10:00:00"
) -> str:
    return f"""
		<wp:comment>
			<wp:comment_id>{comment_id}</wp:comment_id>
			<wp:comment_author>{cdata(name)}</wp:comment_author>
			<wp:comment_author_email>reader{comment_id}@example.com</wp:comment_author_email>
			<wp:comment_author_url>https://reader.example.com/</wp:comment_author_url>
			<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>
			<wp:comment_date>{cdata(date)}</wp:comment_date>
			<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>
			<wp:comment_content>{cdata(text)}</wp:comment_content>
			<wp:comment_approved>{cdata(approved)}</wp:comment_approved>
			<wp:comment_type>{cdata(kind)}</wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>"""


def meta(key: str, value) -> str:
    return (
        f"\t\t<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(str(value))}</wp:meta_value></wp:postmeta>"
    )


def item(
    post_id,
    title,
    *,
    content="<p>نص</p>",
    slug="",
    status="publish",
    post_type="post",
    date="2017-04-27 13:00:00",
    date_gmt="2017-04-27 10:00:00",
    creator="masa",
    categories=(),
    tags=(),
    metas=(),
    comments=(),
    excerpt="",
    link=None,
    attachment_url="",
    parent=0,
    menu_order=0,
) -> str:
    link = link if link is not None else f"https://old.example.com/?p={post_id}"
    terms = "".join(
        f'\t\t<category domain="category" nicename="c{i}">{cdata(name)}</category>\n'
        for i, name in enumerate(categories)
    ) + "".join(
        f'\t\t<category domain="post_tag" nicename="t{i}">{cdata(name)}</category>\n'
        for i, name in enumerate(tags)
    )
    attachment = (
        f"<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>" if attachment_url else ""
    )
    metas_xml = "".join(m + "\n" for m in metas)
    comments_xml = "".join(comments)
    return f"""
	<item>
		<title>{escape(title)}</title>
		<link>{escape(link)}</link>
		<pubDate>Thu, 27 Apr 2017 10:00:00 +0000</pubDate>
		<dc:creator>{cdata(creator)}</dc:creator>
		<guid isPermaLink="false">https://old.example.com/?p={post_id}</guid>
		<description></description>
		<content:encoded>{cdata(content)}</content:encoded>
		<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date>{cdata(date)}</wp:post_date>
		<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
		<wp:comment_status>{cdata("open")}</wp:comment_status>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(status)}</wp:status>
		<wp:post_parent>{parent}</wp:post_parent>
		<wp:menu_order>{menu_order}</wp:menu_order>
		<wp:post_type>{cdata(post_type)}</wp:post_type>
		{attachment}
{terms}{metas_xml}{comments_xml}
	</item>"""


def wxr(*items: str, authors=(("masa", "فريق ماسة"),), version="1.2") -> str:
    """An export; ``version=None`` leaves out its <wp:wxr_version> element."""
    header = HEADER.format(
        authors="\n".join(author(login, name) for login, name in authors),
        version="" if version is None else f"\t<wp:wxr_version>{version}</wp:wxr_version>",
    )
    return header + "".join(items) + "\n" + FOOTER


def attachment(post_id, file, *, alt="", caption="", title="", parent=0, order=0) -> str:
    """An image attachment (``file`` relative to the uploads folder)."""
    return item(
        post_id,
        title or f"صورة {post_id}",
        post_type="attachment",
        status="inherit",
        excerpt=caption,
        parent=parent,
        menu_order=order,
        attachment_url=f"https://old.example.com/wp-content/uploads/{file}",
        metas=(meta("_wp_attached_file", file), meta("_wp_attachment_image_alt", alt)),
    )


UPLOADS = "https://old.example.com/wp-content/uploads/"


def embed_block(url: str, caption: str = "", provider: str = "youtube") -> str:
    """Gutenberg's embed block, as WordPress 5.x+ saves it."""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return (
        f'<!-- wp:embed {{"url":"{url}","type":"video","providerNameSlug":"{provider}"}} -->\n'
        f'<figure class="wp-block-embed is-type-video is-provider-{provider} '
        f'wp-block-embed-{provider}"><div class="wp-block-embed__wrapper">\n{url}\n</div>'
        f"{figcaption}</figure>\n<!-- /wp:embed -->"
    )


def gallery_block_classic(ids, captions=(), caption="") -> str:
    """Gutenberg's gallery block of WordPress 5.0 to 5.8: ids in its JSON, a list of images."""
    items = "".join(
        f'<li class="blocks-gallery-item"><figure><img src="{UPLOADS}2017/04/{pk}.jpg" '
        f'alt="" data-id="{pk}" class="wp-image-{pk}"/>'
        + (
            f'<figcaption class="blocks-gallery-item__caption">{captions[i]}</figcaption>'
            if i < len(captions) and captions[i]
            else ""
        )
        + "</figure></li>"
        for i, pk in enumerate(ids)
    )
    own = f'<figcaption class="blocks-gallery-caption">{caption}</figcaption>' if caption else ""
    return (
        f'<!-- wp:gallery {{"ids":[{",".join(map(str, ids))}],"linkTo":"none"}} -->\n'
        f'<figure class="wp-block-gallery columns-3 is-cropped"><ul class="blocks-gallery-grid">'
        f"{items}</ul>{own}</figure>\n<!-- /wp:gallery -->"
    )


def gallery_block(images, caption="") -> str:
    """Gutenberg's gallery block since WordPress 5.9: one image block per photo.
    ``images``: (id, file, alt, caption) tuples."""
    inner = "".join(
        f'\n<!-- wp:image {{"id":{pk},"sizeSlug":"large","linkDestination":"none"}} -->\n'
        f'<figure class="wp-block-image size-large"><img src="{UPLOADS}{file}" alt="{alt}" '
        f'class="wp-image-{pk}"/>'
        + (f'<figcaption class="wp-element-caption">{text}</figcaption>' if text else "")
        + "</figure>\n<!-- /wp:image -->"
        for pk, file, alt, text in images
    )
    own = (
        f'<figcaption class="blocks-gallery-caption wp-element-caption">{caption}</figcaption>'
        if caption
        else ""
    )
    return (
        '<!-- wp:gallery {"linkTo":"none"} -->\n'
        '<figure class="wp-block-gallery has-nested-images columns-default is-cropped">'
        f"{inner}\n{own}</figure>\n<!-- /wp:gallery -->"
    )
