replayed = [row["replayed"] for row in measure_reconstruction(persistence_env("memory"), [49, 50, 99], repeats=1)]
