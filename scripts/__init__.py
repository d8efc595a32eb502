"""Guichet's build, one package per stage, each importing only the ones before it: rules -> i18n -> site -> web.

build.py runs the stages in that order (`make site`); dev/ holds the static server and the benchmarks.
"""
