#!/usr/bin/env python3
"""Each tool's man page against its --help (run by tests/run-all.sh, group man).

For man/man1/NAME.1 and the program NAME (in BIN, or scripts/NAME): every
option that `NAME --help` prints appears in the page's SYNOPSIS or in an
option item (`.It Fl ...`) of the page; every option of the SYNOPSIS appears
in --help; and every option item appears in --help under one of the names it
gives (`.It Fl o Ar file , Fl \-output Ar file`: -o or --output).  -h,
--help, -V and --version, which every tool takes (zairyu(7)), need not be
in --help.  Options are read from the mdoc source
(`Fl` macros: `Fl o`, `Fl \\-json`, `Fl Fl title`, `Fl qv` for -q -v) and
from --help (`-o`, `--json`, `[-qv]`).
Then the SYNOPSIS as mandoc renders it, form by form (each `.Nm` line),
against the usage that --help prints (each line that starts with NAME):
the same forms in the same order, word for word, white space aside (a run
of blanks is one, none before "..." or around "|"), so that a form missing
on either side (`-h | -V`) or an option in one mode's line and not the
other's (`--preview dir [-q]`) is a difference.
Prints one line per page, "PAGE: ok" or what differs; exits 1 on a difference.
Usage: tests/man/options.py BIN [PAGE...]
"""
import os
import re
import subprocess
import sys

# mdoc macros that end the argument list of Fl on a line.
MACRO = re.compile(r"^[A-Z][a-z][a-z]?$")
ALWAYS = {"-h", "--help", "-V", "--version"}
PUNCT = {"|", ",", ".", ";", ":", "(", ")", "[", "]", "...", "?", "!"}


def split_flags(flag):
    """-qv -> -q -v; --json stays; -V stays."""
    if flag.startswith("--") or len(flag) <= 2:
        return [flag]
    return ["-" + c for c in flag[1:]]


def fl_options(line):
    """The options named by Fl macros on one mdoc macro line."""
    words = line.lstrip(".").split()
    out = []
    i = 0
    while i < len(words):
        if words[i] != "Fl":
            i += 1
            continue
        prefix = "-"
        i += 1
        # "Fl Fl title" is --title.
        while i < len(words) and words[i] == "Fl":
            prefix += "-"
            i += 1
        got = False
        while i < len(words) and not MACRO.match(words[i]) and words[i] not in PUNCT:
            w = words[i].replace("\\-", "-").replace("\\&", "")
            if w and re.match(r"^-*[A-Za-z0-9][A-Za-z0-9-]*$", w):
                out.extend(split_flags(prefix + w))
                got = True
            i += 1
        if not got and prefix == "--":
            pass  # "Fl Fl" alone: the "--" end of options, not an option
    return out


def page_options(path):
    synopsis, items = set(), []
    section = None
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            line = line.rstrip("\n")
            if line.startswith(".Sh "):
                section = line[4:].strip()
                continue
            if not line.startswith("."):
                continue
            if section == "SYNOPSIS":
                synopsis.update(fl_options(line))
            elif line.startswith(".It ") and re.match(r"^\.It\s+(Fl|Op\s+Fl|Xo)", line):
                names = fl_options(line)
                if names:
                    items.append(names)
    return synopsis, items


def norm_form(form):
    """One usage form, white space aside."""
    f = " ".join(form.split())
    f = re.sub(r" ?\| ?", "|", f)
    return f.replace(" ...", "...")


def usage_forms(text, name):
    """The forms of a usage block: a line that starts with name (after
    "usage: ") begins one, an indented line goes on with it; the block
    ends at the first empty line after it."""
    forms = []
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            if forms:
                break
            continue
        if s.startswith("usage: "):
            s = s[len("usage: "):]
        if s.split(" ")[0] == name:
            forms.append(s)
        elif forms:
            forms[-1] += " " + s
        else:
            break
    return [norm_form(f) for f in forms]


def synopsis_forms(path, name):
    """The page's SYNOPSIS as mandoc renders it, as forms."""
    r = subprocess.run(["mandoc", "-Tutf8", "-Owidth=400", path],
                       capture_output=True, text=True, timeout=30)
    text = re.sub(".\b", "", r.stdout)
    m = re.search(r"^SYNOPSIS\n(.*?)^\S", text, re.S | re.M)
    return usage_forms(m.group(1) if m else "", name)


def help_text(prog):
    r = subprocess.run([prog, "--help"], capture_output=True, text=True,
                       timeout=30)
    return r.stdout + r.stderr


def help_options(prog):
    try:
        r = subprocess.run([prog, "--help"], capture_output=True, text=True,
                           timeout=30)
    except OSError as e:
        return None, str(e)
    text = r.stdout + r.stderr
    opts = set()
    for m in re.finditer(r"(?<![\w\-/.])(--?[A-Za-z0-9][A-Za-z0-9\-]*)", text):
        opts.update(split_flags(m.group(1).rstrip("-")))
    return opts, None


def main():
    binary = sys.argv[1]
    pages = sys.argv[2:] or sorted(
        os.path.join("man/man1", f) for f in os.listdir("man/man1")
        if f.endswith(".1"))
    bad = 0
    for page in pages:
        name = os.path.basename(page)[:-2]
        prog = os.path.join(binary, name)
        if not os.path.exists(prog):
            prog = os.path.join("scripts", name)
        if not os.path.exists(prog):
            print(f"{page}: no program {name} in {binary} or scripts/")
            bad += 1
            continue
        synopsis, items = page_options(page)
        helpopts, err = help_options(prog)
        if helpopts is None:
            print(f"{page}: {name} --help: {err}")
            bad += 1
            continue
        helpopts |= ALWAYS
        documented = synopsis.union(*[set(i) for i in items])
        missing = sorted(helpopts - documented - ALWAYS)
        extra_syn = sorted(synopsis - helpopts)
        extra_items = sorted("/".join(i) for i in items
                             if not set(i) & helpopts)
        hforms = usage_forms(help_text(prog), name)
        sforms = synopsis_forms(page, name)
        forms = []
        for k in range(max(len(hforms), len(sforms))):
            h = hforms[k] if k < len(hforms) else "(none)"
            m = sforms[k] if k < len(sforms) else "(none)"
            if h != m:
                forms.append(f"form {k + 1}: --help \"{h}\", SYNOPSIS \"{m}\"")
        if not hforms:
            forms.append("no usage forms in --help")
        if missing or extra_syn or extra_items or forms:
            bad += 1
            msg = []
            if missing:
                msg.append("in --help, not in the page: " + " ".join(missing))
            if extra_syn:
                msg.append("in SYNOPSIS, not in --help: " + " ".join(extra_syn))
            if extra_items:
                msg.append("documented, not in --help: " + " ".join(extra_items))
            msg.extend(forms)
            print(f"{page}: " + "; ".join(msg))
        else:
            print(f"{page}: ok ({len(helpopts)} options)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
