"""Write a synthetic WordPress export (WXR 1.2) for timing the archive import.

    python tools/bench/make_wxr.py 20000 .local/bench/wxr-20000.xml [--comments 3]

Posts carry ~2 KB of Arabic HTML, two categories, tags, a view-count meta, percent-encoded
Arabic slugs and ``--comments`` comments each (every third one a reply, some two deep).
Pages, drafts and attachments are mixed in as a real export has them. Needs no Django.
"""

import argparse
import random
from pathlib import Path
from urllib.parse import quote

WORDS = (
    "كشفت صحيفة الغارديان البريطانية في تقرير لها أن أعداداً كبيرة من المقاتلين الأجانب "
    "قد انشقوا عنه وبدؤوا يفرون من مناطق القتال في سورية والعراق عبر تركيا مع استمرار "
    "العمليات القتالية التي ضيقت الخناق عليه مشيرة إلى أن عمليات الفرار تضعف التنظيم"
).split()
SECTIONS = ["سياسة", "اقتصاد", "محليات", "رياضة", "ثقافة", "من الأرشيف", "عربي ودولي"]
AUTHORS = [("masa", "فريق ماسة"), ("salma", "سلمى الحسن"), ("omar", "عمر الخطيب")]


def cdata(text):
    return "<![CDATA[" + text + "]]>"


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def post(rng, post_id, comment_start, comments):
    title = sentence(rng, 8)
    slug = quote("-".join(title.split()[:6])).lower()
    year, month, day = 2010 + post_id % 14, 1 + post_id % 12, 1 + post_id % 28
    date = f"{year}-{month:02d}-{day:02d} {post_id % 24:02d}:15:00"
    post_type, status = "post", "publish"
    if post_id % 50 == 0:
        post_type = "page"
    elif post_id % 40 == 0:
        status = "draft"
    body = "\n\n".join(sentence(rng, 45) for _ in range(5))
    parts = [
        "\t<item>",
        f"\t\t<title>{title}</title>",
        f"\t\t<link>https://old.example.com/{year}/{month:02d}/{slug}/</link>",
        f"\t\t<dc:creator>{cdata(AUTHORS[post_id % 3][0])}</dc:creator>",
        f'\t\t<guid isPermaLink="false">https://old.example.com/?p={post_id}</guid>',
        f"\t\t<content:encoded>{cdata(body)}</content:encoded>",
        f"\t\t<excerpt:encoded>{cdata(sentence(rng, 20))}</excerpt:encoded>",
        f"\t\t<wp:post_id>{post_id}</wp:post_id>",
        f"\t\t<wp:post_date>{cdata(date)}</wp:post_date>",
        f"\t\t<wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>",
        f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>",
        f"\t\t<wp:status>{cdata(status)}</wp:status>",
        f"\t\t<wp:post_type>{cdata(post_type)}</wp:post_type>",
        f'\t\t<category domain="category" nicename="s">{cdata(rng.choice(SECTIONS))}</category>',
        f'\t\t<category domain="post_tag" nicename="t">{cdata(rng.choice(WORDS))}</category>',
        "\t\t<wp:postmeta><wp:meta_key>post_views_count</wp:meta_key>"
        f"<wp:meta_value>{cdata(str(rng.randint(0, 50000)))}</wp:meta_value></wp:postmeta>",
    ]
    for n in range(comments):
        cid = comment_start + n
        parent = cid - 1 if n % 3 else 0
        parts.append(
            f"\t\t<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
            f"<wp:comment_author>{cdata('قارئ ' + str(cid))}</wp:comment_author>"
            f"<wp:comment_author_email>r{cid}@example.com</wp:comment_author_email>"
            f"<wp:comment_author_IP>192.0.2.{cid % 250}</wp:comment_author_IP>"
            f"<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(sentence(rng, 25))}</wp:comment_content>"
            f"<wp:comment_approved>{cdata('1' if n % 5 else '0')}</wp:comment_approved>"
            f"<wp:comment_type>{cdata('comment')}</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
        )
    parts.append("\t</item>\n")
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--comments", type=int, default=3, help="comments per post")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"'
            ' xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"'
            ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>الماسة السورية</title><link>https://old.example.com</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://old.example.com</wp:base_site_url>\n"
        )
        for login, name in AUTHORS:
            out.write(
                f"<wp:author><wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>\n"
            )
        for post_id in range(1, args.posts + 1):
            out.write(post(rng, post_id, post_id * 100, args.comments))
        out.write("</channel>\n</rss>\n")


if __name__ == "__main__":
    main()
