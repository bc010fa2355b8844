"""Tests of the pure-PyTorch core (no scikit-learn involved)."""

import ast
import pathlib

import pytest
import torch

from skimbgan._core.context import FitContext
from skimbgan._core.device import resolve_device
from skimbgan._core.history import History
from skimbgan._core.polarity import (
    ConditionalCritic,
    ConvexGenerator,
    MLPClassifier,
    PolarityGANConfig,
    critic_loss,
    generator_loss,
    interpolate,
    penalty_at,
    train_polarity_gan,
)
from skimbgan._core.polarity.steps import neighbour_table
from skimbgan._core.polarity.training import generate_weights
from skimbgan._core.random import make_generator, seeded


def gradient_penalty(critic, real, fake, labels, generator=None):
    """The WGAN-GP penalty as critic_step computes it."""
    x_hat = interpolate(real, fake, generator)
    return penalty_at(critic(x_hat, labels), x_hat)


class LinearCritic(torch.nn.Module):
    """D(x|k) = w . x, whose input gradient is w everywhere."""

    def __init__(self, w):
        super().__init__()
        self.w = torch.nn.Parameter(torch.as_tensor(w, dtype=torch.float32))

    def forward(self, x, labels):
        return x @ self.w


@pytest.mark.parametrize("w, expected", [([3.0, 4.0], 16.0), ([0.6, 0.8], 0.0), ([0.0, 0.0], 1.0)])
def test_gradient_penalty_known_answer(w, expected):
    # ||grad|| = ||w|| everywhere, so the penalty is (||w|| - 1)^2 exactly.
    critic = LinearCritic(w)
    real, fake = torch.randn(64, 2), torch.randn(64, 2)
    labels = torch.zeros(64, dtype=torch.long)
    penalty = gradient_penalty(critic, real, fake, labels, make_generator(0, "cpu"))
    assert penalty.item() == pytest.approx(expected, abs=1e-5)


def test_gradient_penalty_is_differentiable_in_the_critic():
    critic = LinearCritic([3.0, 4.0])
    real, fake = torch.randn(8, 2), torch.randn(8, 2)
    penalty = gradient_penalty(critic, real, fake, torch.zeros(8, dtype=torch.long))
    penalty.backward()
    # d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w|| = 2 * 4 * w / 5
    torch.testing.assert_close(critic.w.grad, torch.tensor([4.8, 6.4]))


def test_critic_and_generator_losses():
    real, fake = torch.tensor([1.0, 3.0]), torch.tensor([0.0, 1.0])
    assert critic_loss(real, fake).item() == pytest.approx(0.5 - 2.0)
    logits = torch.tensor([[0.0, 0.0], [10.0, -10.0]])
    labels = torch.tensor([0, 1])
    total, adversarial, boundary = generator_loss(fake, logits, labels, 2.0)
    assert adversarial.item() == pytest.approx(-0.5)
    expected_boundary = (torch.log(torch.tensor(0.5)) + torch.log_softmax(logits[1], 0)[1]) / 2
    assert boundary.item() == pytest.approx(expected_boundary.item(), rel=1e-5)
    assert total.item() == pytest.approx(-0.5 + 2 * expected_boundary.item(), rel=1e-5)


def small_generator(n_neighbors=2, max_anchor_weight=0.9):
    anchors = torch.randn(7, 3, generator=make_generator(0, "cpu"))
    anchor_class = torch.tensor([0, 0, 0, 0, 1, 1, 2])
    cand, mask = neighbour_table(anchors, anchor_class, n_neighbors)
    with seeded(0, "cpu"):
        return ConvexGenerator(
            anchors,
            anchor_class,
            cand,
            mask,
            3,
            noise_dim=4,
            hidden_dims=(8, 8),
            max_anchor_weight=max_anchor_weight,
        )


def test_neighbour_table():
    anchors = torch.tensor([[0.0], [1.0], [3.0], [10.0], [0.0], [5.0], [7.0]])
    anchor_class = torch.tensor([0, 0, 0, 0, 1, 1, 2])
    cand, mask = neighbour_table(anchors, anchor_class, 2)
    assert cand.shape == mask.shape == (7, 2)
    assert cand[0].tolist() == [1, 2] and mask[0].all()
    assert cand[3].tolist() == [2, 1]
    # class 1 has two anchors: one real candidate each, one padded slot
    assert cand[4, 0].item() == 5 and mask[4].tolist() == [True, False]
    # class 2 has one anchor: nothing to combine with
    assert not mask[6].any()
    cand_all, mask_all = neighbour_table(anchors, anchor_class, None)
    assert mask_all.sum(1).tolist() == [3, 3, 3, 3, 1, 1, 0]


@pytest.mark.parametrize("n_neighbors", [2, None])
def test_generator_output_is_a_convex_combination(n_neighbors):
    gen = small_generator(n_neighbors)
    labels = torch.tensor([0, 0, 1, 2, 0, 1])
    samples, weights, index = gen.sample(labels, make_generator(1, "cpu"))
    assert samples.shape == (6, 3)
    assert torch.all(weights >= 0)
    torch.testing.assert_close(weights.sum(1), torch.ones(6))
    assert torch.all(gen.anchor_class[index] == labels[:, None])
    torch.testing.assert_close(samples, torch.einsum("bc,bcf->bf", weights, gen.anchors[index]))
    # no anchor dominates, except in the class with a single anchor, which
    # gets that anchor back
    assert weights[labels != 2].max() <= 0.9 + 1e-6
    torch.testing.assert_close(samples[3], gen.anchors[6])


def test_generator_excludes_a_given_anchor():
    gen = small_generator(None)
    labels = torch.zeros(5, dtype=torch.long)
    base = torch.zeros(5, dtype=torch.long)
    exclude = torch.full((5,), 2)
    _, weights, index = gen(torch.randn(5, 4), labels, base, exclude=exclude)
    assert torch.all(weights[index == 2] == 0)


def test_networks_shapes():
    critic = ConditionalCritic(3, 4, (8,))
    assert critic(torch.randn(5, 3), torch.tensor([0, 1, 2, 3, 0])).shape == (5,)
    assert MLPClassifier(3, 4, (8,))(torch.randn(5, 3)).shape == (5, 4)


def test_train_polarity_gan_runs_and_is_deterministic():
    g = make_generator(0, "cpu")
    X = torch.randn(60, 3, generator=g)
    y = torch.tensor([0] * 45 + [1] * 15)
    anchors = torch.arange(60)
    counts = torch.tensor([0.0, 30.0])
    cfg = PolarityGANConfig(n_steps=5, pretrain_steps=3, batch_size=16, hidden_dims=(8,))
    runs = [
        train_polarity_gan(X, y, 2, anchors, counts, FitContext(cfg, torch.device("cpu"), 7))
        for _ in range(2)
    ]
    a, b = (generate_weights(r.generator, torch.ones(10, dtype=torch.long), 3)[0] for r in runs)
    torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert len(runs[0].history["step"]) > 0


def test_resolve_device():
    assert resolve_device("cpu") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected
    assert resolve_device(torch.device("cpu")) == torch.device("cpu")
    with pytest.raises(ValueError):
        resolve_device("not-a-device")


def test_history():
    h = History()
    h.record(step=0, a=1.0)
    h.record(step=1, b=2.0)
    d = h.as_dict()
    assert d["step"] == [0.0, 1.0] and d["a"][0] == 1.0 and d["b"][1] == 2.0
    assert d["a"][1] != d["a"][1]  # NaN where a row lacks the key
    assert len(h) == 2


def test_core_never_imports_sklearn():
    core = pathlib.Path(__file__).parents[1] / "skimbgan" / "_core"
    for path in core.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("sklearn", "imblearn")), (path, name)


def test_adam_matches_torch_adam():
    """The cores' Adam makes the same updates as torch.optim.Adam."""
    from skimbgan._core.optim import Adam

    torch.manual_seed(0)
    ours = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.ReLU(), torch.nn.Linear(7, 2))
    theirs = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.ReLU(), torch.nn.Linear(7, 2))
    theirs.load_state_dict(ours.state_dict())
    opt_ours = Adam(ours.parameters(), lr=3e-2, betas=(0.6, 0.9))
    opt_theirs = torch.optim.Adam(theirs.parameters(), lr=3e-2, betas=(0.6, 0.9))
    x = torch.randn(64, 5)
    initial = ours[0].weight.detach().clone()
    for step in range(25):
        for model, opt in ((ours, opt_ours), (theirs, opt_theirs)):
            opt.zero_grad()
            loss = model(x).pow(2).mean() + 0.1 * step * model(x)[:, 0].mean()
            loss.backward()
            opt.step()
    for a, b in zip(ours.parameters(), theirs.parameters(), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    # the parameters moved: the comparison is not between two untouched copies
    assert (ours[0].weight - initial).abs().max() > 0.1


def test_adam_skips_parameters_without_gradient():
    from skimbgan._core.optim import Adam

    frozen, trained = torch.nn.Parameter(torch.ones(3)), torch.nn.Parameter(torch.ones(3))
    opt = Adam([frozen, trained], lr=0.1)
    trained.sum().backward()
    opt.step()
    assert torch.equal(frozen, torch.ones(3))
    assert torch.all(trained < 1)


def test_adam_flat_buffer_explicit_gradients_and_tiny_moments_match_torch_adam():
    """The flat update, fed by ``step(grads)``, is torch's Adam element for
    element, also where the second moments are denormal floats."""
    from skimbgan._core.optim import Adam

    torch.manual_seed(1)
    ours = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1))
    theirs.load_state_dict(ours.state_dict())
    opt_ours = Adam(ours.parameters(), lr=1e-2)
    opt_theirs = torch.optim.Adam(theirs.parameters(), lr=1e-2, foreach=False)
    # every parameter is a view of one buffer
    assert opt_ours.flat is not None
    assert all(p.untyped_storage().data_ptr() == opt_ours.flat.untyped_storage().data_ptr()
               for p in ours.parameters())  # fmt: skip
    x = torch.randn(32, 4)
    for step in range(20):
        # squared gradients below float32's normals, but for the last bias
        def loss(model, step=step):
            return model(x).pow(2).mean() * 1e-19 + model[2].bias.sum() * (step + 1)

        opt_ours.step(torch.autograd.grad(loss(ours), list(ours.parameters())))
        opt_theirs.zero_grad()
        loss(theirs).backward()
        opt_theirs.step()
    for a, b in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert torch.equal(a, b)
    tiny = torch.finfo(torch.float32).tiny
    assert ((opt_ours.exp_avg_sq[0] > 0) & (opt_ours.exp_avg_sq[0] < tiny)).any()
    # the modules still load and save their state through the views
    state = {k: v.clone() for k, v in ours.state_dict().items()}
    with torch.no_grad():
        opt_ours.flat.zero_()
    ours.load_state_dict(state)
    assert torch.equal(ours[0].weight, theirs[0].weight)


def test_adam_select_carries_members_moments_over():
    """A stack that drops members keeps the survivors' Adam state: their
    next updates are those of the optimiser that never dropped anyone."""
    from skimbgan._core.optim import Adam

    torch.manual_seed(2)
    weight = torch.nn.Parameter(torch.randn(3, 4, 2))
    opt = Adam([weight], lr=1e-2)
    for _ in range(5):
        opt.step([torch.randn(3, 4, 2)])
    keep = torch.tensor([0, 2])
    survivor = torch.nn.Parameter(weight.detach()[keep].clone())
    selected = opt.select([survivor], keep)
    assert selected.n_steps == opt.n_steps == 5
    grad = torch.randn(3, 4, 2)
    opt.step([grad])
    selected.step([grad[keep]])
    assert torch.equal(survivor, weight.detach()[keep])


def test_dropout_keeps_one_minus_p_and_rescales():
    from skimbgan._core.layers import Dropout

    layer = Dropout(0.2)
    x = torch.ones(200, 500)
    with seeded(0, "cpu"):
        y = layer(x)
    kept = y != 0
    assert torch.all(y[kept] == 1.25)  # kept elements scaled by 1 / (1 - p)
    assert kept.float().mean().item() == pytest.approx(0.8, abs=0.005)  # 100,000 draws
    with seeded(0, "cpu"):
        again = layer(x)
    assert torch.equal(y, again)  # from the global RNG, seeded
    layer.eval()
    assert layer(x) is x
    assert Dropout(0.0)(x) is x
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        Dropout(1.0)
