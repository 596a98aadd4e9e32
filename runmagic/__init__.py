"""runmagic: ``docker run`` as IPython magics, streaming real containers into Jupyter.

Load with ``%load_ext runmagic``; then ``%%docker_run [OPTIONS] IMAGE [COMMAND]``
runs a container with the cell body as its stdin, and ``%docker_run`` is the
one-line form. ``%docker_run?`` lists the options.
"""

__version__ = "0.1.0"


def load_ipython_extension(ipython):
    from runmagic.ipython import completion
    from runmagic.ipython.command_magics import DockerCommands
    from runmagic.ipython.run_magics import DockerRun

    ipython.register_magics(DockerRun)
    ipython.register_magics(DockerCommands)
    completion.register(ipython)


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "runmagic"}]
