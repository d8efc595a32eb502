"""Developer tools, after every stage: the static server (`make serve`, tests, bench) and the benchmarks."""
