"""``python -m animations render [SCENE ...] [--quality low|medium|high]`` (see :mod:`animations.render`)."""

import sys

from .render import main

sys.exit(main())
