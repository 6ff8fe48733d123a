"""optim: optimisers and learning-rate schedules, built only on the autograd engine."""

__all__: list[str] = []
