#!/usr/bin/python3
"""The losses of regscope's PyTorch scripts, for tests/test-parity.c.

For each case of tests/golden/parity/cases.txt, asks regscope-train for the
script of the lesson (with the case's --set assignments, --steps 100), runs
it under PyTorch and writes the loss of every step it took to
tests/golden/parity/NAME.csv ("step,loss", %.9g). The scripts make regscope's
data, split, batch order and initial weights themselves, so these are the
losses regscope's --log must show.

Run from the repository root, with the built regscope-train:

    REGSCOPE_DATADIR=$PWD/data /usr/bin/python3 tests/golden/make_parity.py \\
        build/app/regscope-train [CASE...]

fashion-dropout needs /usr/share/datasets/fashion-mnist (it is skipped without).
CI never runs this; commit what it writes.
"""
import contextlib
import io
import os
import runpy
import subprocess
import sys
import tempfile

STEPS = 100
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'parity')


def cases():
    with open(os.path.join(HERE, 'cases.txt')) as f:
        for line in f:
            words = line.split()
            if words and not words[0].startswith('#'):
                yield words[0], words[1], words[2:]


def script_losses(regscope_train, lesson, sets, folder):
    """The step losses of the lesson's script, or None when regscope cannot
    load its data here."""
    args = [regscope_train, lesson, '--steps', str(STEPS), '--print-pytorch']
    for s in sets:
        args += ['--set', s]
    script = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    path = os.path.join(folder, lesson + '.py')
    with open(path, 'w') as f:
        f.write(script)
    with contextlib.redirect_stdout(io.StringIO()):
        return runpy.run_path(path)['step_losses']


def main():
    regscope_train = sys.argv[1]
    only = set(sys.argv[2:])  # case names: rewrite those only
    with tempfile.TemporaryDirectory() as folder:
        for name, lesson, sets in cases():
            if only and name not in only:
                continue
            if lesson == 'fashion-dropout' and not os.path.isdir('/usr/share/datasets/fashion-mnist'):
                print('skipped', name, '(no Fashion-MNIST)')
                continue
            losses = script_losses(regscope_train, lesson, sets, folder)
            # fewer where early stopping ended the run
            assert 0 < len(losses) <= STEPS, (name, len(losses))
            with open(os.path.join(HERE, name + '.csv'), 'w') as out:
                out.write('step,loss\n')
                for step, loss in enumerate(losses):
                    out.write('%d,%.9g\n' % (step, loss))
            print('wrote', name)


if __name__ == '__main__':
    main()
