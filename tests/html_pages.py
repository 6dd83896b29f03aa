"""A saved news page and a CMS body, written for the HTML tests (issue 18)."""

NEWS_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8">
<title>Seoul and Washington hold joint drills | The Daily Example</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-09-12T08:00:00Z">
<script>var tracking = "Subscribe now";</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience.
<button>Accept all cookies</button></p></div>
<header class="site-header"><a href="/">The Daily Example</a>
<nav><ul><li><a href="/world">World news</a></li><li><a href="/politics">Politics desk</a></li>
</ul></nav></header>
<main>
<article>
<h1>Seoul and Washington hold joint drills</h1>
<p class="byline">By Jane Doe</p>
<time datetime="2024-09-12">Thursday, September 12, 2024</time>
<p>The <strong>Ministry of Defence</strong> said on Monday that joint drills would start next
week near the border, according to officials in <a href="https://example.org/seoul">Seoul</a>.</p>
<p>North Korea has called the exercises a rehearsal for war and warned of a response, the state
news agency reported on Tuesday.</p>
<h2>A show of force</h2>
<p>Thousands of troops from both countries are expected to take part in the exercises, which
will last for two weeks and include live-fire training.</p>
<blockquote><p>The drills are purely defensive in nature, a spokesman for the ministry
said.</p></blockquote>
<figure><img src="drills.jpg" alt="Soldiers at a drill"><figcaption>Soldiers take part in a
drill near the border last year.</figcaption></figure>
<p>Analysts said the drills were the largest held in the region since 2018, and that they were
likely to raise tension on the peninsula.</p>
<div class="newsletter-signup"><h3>Sign up for our newsletter</h3>
<p>Get the top stories in your inbox every morning.</p></div>
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">Kim inspects missile launch</a></li>
<li><a href="/b">Talks stall in Geneva</a></li></ul></aside>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>Great article, thanks for sharing!</p></div>
<form><p>Leave a comment</p></form></section>
</main>
<footer class="site-footer"><p>© 2024 The Daily Example. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy policy</a></li></ul></footer>
</body></html>
"""

# What the page shows around its article, each line with where it sat.
NEWS_PAGE_CRUFT = [
    ("cookie notice", "We use cookies to improve your experience."),
    ("cookie notice", "Accept all cookies"),
    ("page header", "The Daily Example"),
    ("navigation", "World news"),
    ("navigation", "Politics desk"),
    ("subscribe prompt", "Sign up for our newsletter"),
    ("subscribe prompt", "Get the top stories in your inbox every morning."),
    ("related links", "Related stories"),
    ("related links", "Kim inspects missile launch"),
    ("related links", "Talks stall in Geneva"),
    ("comments", "Comments"),
    ("comments", "Great article, thanks for sharing!"),
    ("comments", "Leave a comment"),
    ("footer", "© 2024 The Daily Example. All rights reserved."),
    ("footer", "Privacy policy"),
]

FRAGMENT = """\
<h2 class="subhead">Seoul and Washington hold drills</h2>
<p>The <b>Ministry of Defence</b> said on Monday that joint drills would start next week.
Officials in <a href="https://example.org/seoul?a=1&amp;b=2" title="Seoul">Seoul</a> declined
to comment.</p>
<figure class="wp-block-image"><img src="x.jpg" alt="A photo"><figcaption>Troops at a
<em>drill</em> last year.</figcaption></figure>
<ul>
  <li>North Korea called the drills a rehearsal for war.</li>
  <li>The <code>KCNA</code> agency published a statement.<br>It was short.</li>
</ul>
<script>window.track = "do not translate";</script>
<p translate="no">Keep this text.</p>
<!-- an editor's note -->
<table><tr><th>Country</th><th>Troops</th></tr><tr><td>South Korea</td><td>10,000</td></tr></table>
"""
GLOSSARY = "en,pt\nMinistry of Defence,\"Ministério da Defesa {m, article}\"\n"

# A page whose article body holds cruft of its own (share tools, "Related:", an ad).
CMS_PAGE = """\
<!doctype html><html><head><meta charset="utf-8"><title>Kim visits factory - News Site</title>
<meta property="og:title" content="Kim visits tractor factory"></head><body>
<div class="top-bar"><span>Breaking: markets fall</span> <a href="/login">Log in</a></div>
<div id="content"><div class="article-body">
<h1>Kim visits tractor factory</h1>
<div class="meta"><span class="author">By John Smith</span> ·
<span class="date">June 23, 2024</span></div>
<div class="share-tools"><a href="#">Share this article</a> <a href="#">Tweet</a></div>
<p>North Korean leader Kim Jong Un visited a tractor factory in the east of the country, state
media said on Sunday, urging workers to raise output before the harvest.</p>
<p><strong>Related:</strong> <a href="/x">North Korea reports record wheat crop</a></p>
<p>Kim praised the factory's engineers and said that modern machines were key to the country's
plan to grow more food, according to the report.</p>
<p>Follow us on Telegram</p>
<p>Advertisement</p>
</div></div>
<div class="outbrain"><p>You may also like: Ten tips for better sleep</p></div>
</body></html>
"""
