# Neural Networks, Visually. The two commands: `make site` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := site

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CONSTRAINTS := constraints.txt
SYSTEM_PACKAGES := libpango1.0-dev pkg-config gcc fonts-dejavu-core libjs-katex
TEST_SYSTEM_PACKAGES := chromium poppler-utils
CUPY_VERSION := 14.2.0
PIP_VERSION := 26.3
# Animations render at 720p30 for the site; tests may use low quality to save time.
ANIMATION_QUALITY ?= medium
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# The build and the tests run in parallel processes (figures, labs, pytest-xdist); one BLAS
# thread each keeps 2 cores from being oversubscribed. Benchmarks use every core.
site serve test animations pdf: export OPENBLAS_NUM_THREADS := 1
site serve test animations pdf: export OMP_NUM_THREADS := 1
# The lessons print what training computes, so every machine must compute the same bits:
# OpenBLAS's Haswell kernels (any x86-64 CPU with AVX2 runs them) and NumPy's AVX2 code,
# not the AVX-512 variants some CPUs would pick, which round differently. Benchmarks are
# left to the fastest kernels.
site serve test animations pdf: export OPENBLAS_CORETYPE := Haswell
site serve test animations pdf: export NPY_DISABLE_CPU_FEATURES := X86_V4 AVX512_ICL AVX512_SPR

.PHONY: site serve test animations bench lock clean system test-system python-version pdf

python-version:
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if (3, 11) <= v[:2] < (3, 14) else f"error: Python 3.11 to 3.13 is needed, found {v.major}.{v.minor} ($(PYTHON)); set PYTHON=python3.11")'

system: python-version
	@.ci/system-packages $(SYSTEM_PACKAGES)

test-system: system
	@.ci/system-packages $(TEST_SYSTEM_PACKAGES)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q pip==$(PIP_VERSION)

# One stamp per set of extras: reinstall only when pyproject.toml or the pins change.
$(VENV)/.installed-%: pyproject.toml $(CONSTRAINTS) | $(PY)
	@echo "Installing the project with extras [$*] (pinned by $(CONSTRAINTS))"
	$(PY) -m pip install -q -c $(CONSTRAINTS) -e ".[$*]"
	@touch $@

animations: system $(VENV)/.installed-docs,anim
	$(PY) -m animations render --quality $(ANIMATION_QUALITY)

# The scenes, figures and labs the cache lacks, in one pool, longest first (sitebuild/prebuild.py);
# mkdocs then finds them all cached.
site: system $(VENV)/.installed-docs,anim
	$(PY) -m sitebuild.prebuild --quality $(ANIMATION_QUALITY)
	$(PY) -m mkdocs build --strict --quiet --site-dir site
	@echo
	@echo "The site is in $(CURDIR)/site (open site/index.html through a web server)."
	@echo "Serve it with live reload: make serve   (or: $(PY) -m http.server -d site)"

serve: site
	@echo "Serving on http://127.0.0.1:8000/nn-visually/ (live reload; Ctrl-C stops)"
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

test: test-system $(VENV)/.installed-docs,anim,test
	$(PY) -m playwright --version >/dev/null
	$(PY) -m sitebuild.prebuild --quality low
	NNV_ANIMATION_QUALITY=low $(PY) -m mkdocs build --strict --quiet --site-dir site
	$(PY) -m pytest -n auto --dist loadfile --durations=15

# The whole book as one PDF (pdf/nn-visually.pdf): the site joined into one page by
# mkdocs-print-site-plugin, printed by Chromium; the next `make site` links it from the home page.
pdf: test-system $(VENV)/.installed-docs,anim,test
	$(PY) -m sitebuild.prebuild --quality $(ANIMATION_QUALITY)
	NNV_PRINT_SITE=true $(PY) -m mkdocs build --strict --quiet --site-dir site-pdf
	$(PY) -m sitebuild.pdf site-pdf pdf/nn-visually.pdf

bench: system $(VENV)/.installed-docs,anim,test $(VENV)/.installed-bench  # the Explorer benchmark drives the built site in Chromium
	$(PY) -m benchmarks

# Re-pin every Python package (run after changing dependencies in pyproject.toml).
lock: system
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install -q pip==$(PIP_VERSION)
	.venv-lock/bin/pip install -q -e ".[docs,anim,test,bench]"
	{ echo "# Pins for every Python package the project installs; \`make lock\` rewrites this file."; \
	  echo "# (torch: the CPU build for the bench extra; cupy-cuda12x: the gpu extra.)"; \
	  .venv-lock/bin/pip freeze --exclude-editable | grep -v -e '^-e' -e '^nn-visually' | sed 's/+cpu$$//'; \
	  echo "cupy-cuda12x==$(CUPY_VERSION)"; } > $(CONSTRAINTS)
	rm -rf .venv-lock

clean:
	rm -rf site site-pdf pdf .cache media
