"""A deterministic synthetic arXiv corpus in the bulk snapshot's JSON-lines format.

The same N always gives the same file, byte for byte, so figures from two runs (or two machines) measure
the same data. The shape follows the real snapshot of the ML corner of arXiv:

- titles of about ten words and abstracts of 150-250 words, wrapped with line breaks as arXiv wraps them,
  drawn from an ML-flavoured vocabulary with a Zipf-like frequency (a few very common words, a middle
  band and a long tail of rare ones, so that search benchmarks can pick words of each kind), with some
  inline LaTeX;
- 1-12 authors per paper from a pool that grows with N (prolific authors recur, most appear a few times),
  given both as the author string and as authors_parsed;
- a category mix led by cs.LG, cs.CV, cs.CL, stat.ML, cs.AI and math.OC, primary first, with cross-lists;
- new-style ids from April 2007 to 2026 with more papers in later years, 1-5 versions with their dates,
  and a small share of old-style ids (cs/0601001) from 2005 to March 2007;
- a license on nearly every paper, mostly arXiv's own and some Creative Commons ones, and abstracts of two
  paragraphs now and then (a line break followed by indentation, as arXiv writes them), in about the shares
  of the real snapshot's recent years. These come from a generator of their own per paper, so that every
  other field is what corpus version 1 had.

`corpus_path(n)` builds the file once under var/bench/ and returns it; later runs reuse it.
"""

from __future__ import annotations

import datetime
import itertools
import random
from bisect import bisect
from pathlib import Path

import orjson

VAR_BENCH = Path(__file__).resolve().parent.parent / "var" / "bench"
# Bump when the generator changes, so that a cached corpus of the old shape is not reused.
CORPUS_VERSION = 2
SEED = 20260401


def _words(text: str) -> list[str]:
    return text.split()


COMMON_WORDS = _words("""
the of and a to in we is for that on with this by as are our be an which from it can model learning
data network neural method results show approach training performance proposed using based deep these
task paper methods new models problem such tasks their also has than two into both over while each
""")

MID_WORDS = _words("""
algorithm framework representation representations loss function gradient optimization stochastic
convergence generalization transformer attention embedding embeddings supervised unsupervised
self-supervised contrastive reinforcement policy reward agent environment graph graphs node nodes
convolutional recurrent layer layers architecture architectures parameters parameter inference
bayesian variational posterior prior latent generative adversarial diffusion sampling distribution
distributions benchmark benchmarks dataset datasets accuracy robustness robust adversarial
perturbation classification regression segmentation detection image images video language text
sentence token tokens vocabulary translation speech audio multimodal retrieval recommendation
kernel kernels sparse dense low-rank matrix tensor linear nonlinear convex nonconvex bound bounds
theoretical empirical empirically analysis experiments experimental state-of-the-art baseline
baselines efficient efficiency scalable scaling compute memory hardware distributed federated
privacy differential fairness bias interpretability explanation explanations causal causality
uncertainty calibration ensemble ensembles pruning quantization distillation compression transfer
domain adaptation few-shot zero-shot meta-learning continual lifelong curriculum active semi-supervised
clustering manifold metric similarity contrast augmentation augmentations noise noisy label labels
pretraining pre-trained fine-tuning finetuning prompt prompting instruction alignment preference
feedback human evaluation metrics objective objectives regularization dropout normalization batch
encoder decoder autoencoder sequence sequences temporal spatial spatio-temporal dynamics trajectory
planning control controller robot robotic navigation manipulation simulation simulator real-world
""")

# Rare words: a long tail of plausible but uncommon technical terms, made from roots and endings.
_RARE_ROOTS = _words("""
hyper meta proto poly iso homo hetero ortho para quasi semi multi omni pseudo neuro geo chrono
spectro topo morpho thermo electro photo magneto baro hydro cryo micro nano macro mega giga tera
""")
_RARE_STEMS = _words("""
graph morph metric tropic scopic lytic genic tonic plastic static dynamic kinetic sonic phasic
cyclic modal normal gonal linear cursive sistent variant fluent tensive vective ductive jective
""")
_RARE_ENDINGS = ["", "ity", "ism", "ization", "ally", "ness", "ons", "oid", "ids", "ers"]

LATEX_SNIPPETS = [
    r"$\mathcal{O}(n \log n)$",
    r"$\epsilon$-optimal",
    r"$\ell_1$",
    r"$\ell_2$-regularized",
    r"$O(1/\sqrt{T})$",
    r"$k$-nearest",
    r"$\mathbb{R}^d$",
    r"$\alpha$",
    r"$\beta$-VAE",
    r"$\tilde{O}(\sqrt{n})$",
]

# Primary categories, weighted roughly as the ML corner of arXiv; cross-lists come from the same list.
CATEGORIES = [
    ("cs.LG", 30),
    ("cs.CV", 22),
    ("cs.CL", 16),
    ("stat.ML", 8),
    ("cs.AI", 8),
    ("math.OC", 3),
    ("cs.RO", 3),
    ("cs.NE", 2),
    ("eess.IV", 2),
    ("cs.IR", 2),
    ("math.ST", 1),
    ("eess.AS", 1),
    ("physics.comp-ph", 1),
    ("q-bio.NC", 1),
]
OLD_STYLE_ARCHIVES = [("cs", "cs.LG"), ("math", "math.OC"), ("physics", "physics.comp-ph")]

FIRST_NAMES = _words("""
Alice Bob Carol David Emma Felix Grace Hugo Irene Jonas Karin Liam Maria Noah Olga Pavel Quentin Rosa
Sofia Tomas Ursula Victor Wen Xiao Yuki Zhang Amir Bao Chen Dmitri Elena Farah Giulia Hana Ivan Jia
Kenji Lena Mateo Nadia Oscar Priya Ravi Sara Tariq Uma Vera Wei Yara Zoe Anna Ben Chloe Diego Eva Finn
""")
LAST_NAMES = _words("""
Smith Garcia Mueller Rossi Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Kim Lee Park Choi Tanaka
Suzuki Sato Ivanov Petrov Novak Kowalski Nielsen Jensen Hansen Larsen Andersen Silva Santos Pereira
Costa Martin Bernard Dubois Moreau Laurent Simon Michel Schmidt Schneider Fischer Weber Meyer Wagner
Becker Schulz Hoffmann Koch Richter Klein Wolf Brown Jones Miller Davis Wilson Taylor Anderson Thomas
Jackson White Harris Clark Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson
Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart
Morris Murphy Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly Howard Ward Cox Diaz
Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster Sanders
Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutierrez Perry Butler Barnes Fisher Henderson
""")
_NAME_SYLLABLES = ["ka", "ro", "mi", "ten", "sa", "lo", "vi", "den", "ar", "bel", "to", "ni", "sch", "berg"]

COMMENTS = [
    "12 pages, 5 figures",
    "Accepted at NeurIPS",
    "ICML camera-ready version",
    "ICLR 2024",
    "8 pages, 3 figures, 2 tables",
    "Code available on GitHub",
    "CVPR workshop paper",
    "",
    "",
    "",
]
# (license URL or None, weight): recent papers mostly carry arXiv's own license, some a Creative Commons one.
LICENSES = [
    ("http://arxiv.org/licenses/nonexclusive-distrib/1.0/", 80),
    ("http://creativecommons.org/licenses/by/4.0/", 10),
    ("http://creativecommons.org/licenses/by-nc-sa/4.0/", 3),
    ("http://creativecommons.org/licenses/by-nc-nd/4.0/", 2),
    ("http://creativecommons.org/licenses/by-sa/4.0/", 2),
    ("http://creativecommons.org/publicdomain/zero/1.0/", 1),
    (None, 2),
]
PARAGRAPHS_SHARE = 0.07
JOURNALS = ["J. Mach. Learn. Res.", "IEEE Trans. Pattern Anal. Mach. Intell.", "Neural Comput.", "Mach. Learn."]

FIRST_NEW_STYLE = datetime.date(2007, 4, 1)
LAST_MONTH = datetime.date(2026, 10, 1)
FIRST_OLD_STYLE = datetime.date(2005, 1, 1)
OLD_STYLE_SHARE = 0.02
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def corpus_path(n_papers: int) -> Path:
    """The snapshot file of `n_papers` synthetic papers, generated on first use and cached under var/bench/."""
    path = VAR_BENCH / f"corpus-v{CORPUS_VERSION}-{n_papers}.jsonl"
    if not path.exists():
        VAR_BENCH.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with partial.open("wb") as out:
            for record in generate(n_papers):
                out.write(orjson.dumps(record))
                out.write(b"\n")
        partial.rename(path)
    return path


def vocabulary() -> list[str]:
    """Every word of the corpus, most frequent first (rank 1 is the most common word)."""
    rare = [root + stem + ending for root in _RARE_ROOTS for stem in _RARE_STEMS for ending in _RARE_ENDINGS]
    random.Random(SEED).shuffle(rare)
    return COMMON_WORDS + MID_WORDS + rare


def _zipf_cumulative(count: int, exponent: float = 1.05) -> list[float]:
    return list(itertools.accumulate(1.0 / rank**exponent for rank in range(1, count + 1)))


def _month_counts(n_papers: int) -> list[tuple[datetime.date, bool, int]]:
    """(month, old_style, papers that month): old-style months first, then new-style with growing volume."""
    old_months = _months(FIRST_OLD_STYLE, datetime.date(2007, 3, 1))
    new_months = _months(FIRST_NEW_STYLE, LAST_MONTH)
    n_old = round(n_papers * OLD_STYLE_SHARE)
    plan = [(m, True, c) for m, c in zip(old_months, _spread(n_old, [1.0] * len(old_months)), strict=True)]
    # Monthly submissions grow roughly fourfold over the years, as arXiv's ML categories did (and more).
    weights = [1.0 + 3.0 * i / (len(new_months) - 1) for i in range(len(new_months))]
    plan += [(m, False, c) for m, c in zip(new_months, _spread(n_papers - n_old, weights), strict=True)]
    return plan


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _spread(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer parts proportional to `weights` that add up exactly."""
    cumulative = list(itertools.accumulate(weights))
    marks = [round(total * c / cumulative[-1]) for c in cumulative]
    return [b - a for a, b in zip([0, *marks], marks, strict=False)]


def _author_name(index: int) -> tuple[str, str]:
    """(last, first) of pool member `index`; distinct indexes give distinct names."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    rest = index // len(FIRST_NAMES)
    last = LAST_NAMES[rest % len(LAST_NAMES)]
    rest //= len(LAST_NAMES)
    while rest:
        rest, digit = divmod(rest - 1, len(_NAME_SYLLABLES))
        last += _NAME_SYLLABLES[digit]
    return last, first


def _email_date(moment: datetime.datetime) -> str:
    return f"{WEEKDAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment:%H:%M:%S} GMT"


def _wrap(words: list[str], width: int = 80) -> str:
    """Lines of at most `width` characters, as the snapshot stores titles and abstracts."""
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def generate(n_papers: int):
    """Yield `n_papers` snapshot records (dicts), deterministic for a given N."""
    rng = random.Random(SEED)
    words = vocabulary()
    word_weights = _zipf_cumulative(len(words))
    categories = [code for code, _ in CATEGORIES]
    category_weights = list(itertools.accumulate(weight for _, weight in CATEGORIES))
    # Most authors write a few papers, a few write many: about 0.6 distinct authors per paper, Zipf-weighted.
    pool_size = max(50, int(n_papers * 0.6))
    author_weights = _zipf_cumulative(pool_size, exponent=0.6)
    # Shuffled ranks, so that the prolific authors are not all "Alice Smith", "Bob Smith", ...
    author_rank_to_index = list(range(pool_size))
    rng.shuffle(author_rank_to_index)

    for month, old_style, count in _month_counts(n_papers):
        for number in range(1, count + 1):
            if old_style:
                archive, primary = OLD_STYLE_ARCHIVES[number % len(OLD_STYLE_ARCHIVES)]
                arxiv_id = f"{archive}/{month:%y%m}{number // len(OLD_STYLE_ARCHIVES) + 1:03d}"
            else:
                primary = categories[bisect(category_weights, rng.random() * category_weights[-1])]
                digits = 4 if month.year < 2015 else 5
                arxiv_id = f"{month:%y%m}.{number:0{digits}d}"
            yield _paper(
                rng,
                arxiv_id,
                month,
                primary,
                words,
                word_weights,
                categories,
                category_weights,
                author_weights,
                author_rank_to_index,
            )


def _paper(rng, arxiv_id, month, primary, words, word_weights, categories, category_weights,
           author_weights, author_rank_to_index) -> dict:  # fmt: skip
    title_words = rng.choices(words, cum_weights=word_weights, k=rng.randint(7, 13))
    title_words[0] = title_words[0].capitalize()
    abstract_words = rng.choices(words, cum_weights=word_weights, k=rng.randint(150, 250))
    for _ in range(rng.randint(0, 3)):
        abstract_words[rng.randrange(len(abstract_words))] = rng.choice(LATEX_SNIPPETS)
    abstract_words[0] = abstract_words[0].capitalize()

    cross = {categories[bisect(category_weights, rng.random() * category_weights[-1])] for _ in range(3)}
    cross.discard(primary)
    paper_categories = [primary, *sorted(cross)[: rng.randint(0, 3)]]

    n_authors = min(12, max(1, int(rng.expovariate(1 / 3.5)) + 1))
    ranks = {bisect(author_weights, rng.random() * author_weights[-1]) for _ in range(n_authors)}
    names = [_author_name(author_rank_to_index[min(rank, len(author_rank_to_index) - 1)]) for rank in ranks]
    rng.shuffle(names)

    first_moment = datetime.datetime(month.year, month.month, rng.randint(1, 28), rng.randint(0, 23),
                                     rng.randint(0, 59), rng.randint(0, 59))  # fmt: skip
    moments = [first_moment]
    for _ in range(min(4, int(rng.expovariate(1.2)))):
        moments.append(moments[-1] + datetime.timedelta(days=rng.randint(3, 200), seconds=rng.randint(0, 86399)))
    journal = rng.random() < 0.15
    # License and paragraphs from a generator of their own, so the main one (every other field) runs as before.
    extra = random.Random(f"{SEED}:{arxiv_id}")
    license_url = extra.choices([url for url, _ in LICENSES], weights=[weight for _, weight in LICENSES])[0]
    if extra.random() < PARAGRAPHS_SHARE:
        cut = extra.randint(len(abstract_words) // 3, 2 * len(abstract_words) // 3)
        abstract = "  " + _wrap(abstract_words[:cut]) + "\n  " + _wrap(abstract_words[cut:]) + "\n"
    else:
        abstract = "  " + _wrap(abstract_words) + "\n"
    return {
        "id": arxiv_id,
        "submitter": f"{names[0][1]} {names[0][0]}",
        "authors": ", ".join(f"{first} {last}" for last, first in names[:-1])
        + (" and " if len(names) > 1 else "")
        + f"{names[-1][1]} {names[-1][0]}",
        "title": _wrap(title_words),
        "comments": rng.choice(COMMENTS) or None,
        "journal-ref": f"{rng.choice(JOURNALS)} {rng.randint(1, 40)} ({moments[-1].year})" if journal else None,
        "doi": f"10.{rng.randint(1000, 9999)}/synthetic.{arxiv_id.replace('/', '.')}" if journal else None,
        "report-no": None,
        "categories": " ".join(paper_categories),
        "license": license_url,
        "abstract": abstract,
        "versions": [{"version": f"v{i}", "created": _email_date(m)} for i, m in enumerate(moments, start=1)],
        "update_date": f"{moments[-1]:%Y-%m-%d}",
        "authors_parsed": [[last, first, ""] for last, first in names],
    }
