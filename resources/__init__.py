"""ConvScope's bundled files (the MNIST sample, icons, the desktop launcher and MIME types).

This folder is installed as the package ``convscope_resources``; code finds its files through
``engine.resources.resource_path``.
"""
