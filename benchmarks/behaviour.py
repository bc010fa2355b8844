"""Fingerprints of every estimator's output on fixed seeds.

Run before and after a refactoring that must not change behaviour: the same
lines must come out. Small settings, a few seconds on a CPU.

    python -m benchmarks.behaviour
"""

import hashlib

import numpy as np

from skimbgan import EGANClassifier, ImageEmbedder, PolarityGANClassifier, PolarityGANSampler

from ._synthetic import images, tables, tiny_backbone

#: The paper's eGAN (every extension off), from the public API.
PAPER_PARAMS = EGANClassifier.paper_params()


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a))
        h.update(str(a.dtype).encode() + str(a.shape).encode() + a.tobytes())
    return h.hexdigest()[:16]


def fingerprints():
    X, y = tables()
    out = {}
    sampler = PolarityGANSampler(
        n_steps=40,
        pretrain_steps=10,
        batch_size=32,
        hidden_dims=(16,),
        noise_dim=4,
        device="cpu",
        random_state=0,
    )
    out["PolarityGANSampler.fit_resample"] = digest(*sampler.fit_resample(X, y))
    egan = EGANClassifier(
        **PAPER_PARAMS,
        n_steps=60,
        hidden_dims=(16,),
        latent_dim=8,
        batch_size=32,
        eval_every=10,
        device="cpu",
        random_state=0,
    ).fit(X, y)
    out["EGANClassifier(features)"] = digest(egan.score_samples(X), egan.predict(X))
    extended = EGANClassifier(
        n_steps=60, hidden_dims=(16,), latent_dim=8, batch_size=32, eval_every=10,
        device="cpu", random_state=0,
    ).fit(X, y)  # fmt: skip
    out["EGANClassifier(features, defaults)"] = digest(
        extended.score_samples(X), extended.predict(X)
    )
    Xi, yi = images()
    binary = yi > 0
    egan_img = EGANClassifier(
        **PAPER_PARAMS,
        input_type="images",
        input_size=32,
        n_steps=6,
        batch_size=8,
        latent_dim=8,
        eval_every=2,
        validation_fraction=None,
        device="cpu",
        random_state=0,
        generator_backbone=tiny_backbone(),
        discriminator_backbone=tiny_backbone(),
    ).fit(Xi, binary)
    out["EGANClassifier(images)"] = digest(egan_img.score_samples(Xi), egan_img.predict(Xi))
    for use_gan in (True, False):
        clf = PolarityGANClassifier(
            backbone=tiny_backbone(),
            # the earlier defaults' training, so the fingerprint stays comparable
            trainable_stages="all",
            balanced_sampling=False,
            probe_epochs=0,
            input_size=16,
            n_epochs=2,
            batch_size=8,
            use_gan=use_gan,
            device="cpu",
            random_state=0,
        ).fit(Xi, yi)
        out[f"PolarityGANClassifier(use_gan={use_gan})"] = digest(
            clf.predict_proba(Xi), clf.predict(Xi)
        )
    for augment in (True, False):
        clf = PolarityGANClassifier(
            backbone=tiny_backbone(),
            trainable_stages=0,  # the whole backbone frozen, with a probe
            probe_epochs=3,
            input_size=16,
            n_epochs=2,
            batch_size=8,
            augment=augment,
            device="cpu",
            random_state=0,
        ).fit(Xi, yi)
        out[f"PolarityGANClassifier(frozen, augment={augment})"] = digest(
            clf.predict_proba(Xi), clf.predict(Xi)
        )
    embedder = ImageEmbedder(
        backbone=tiny_backbone(), weights=None, input_size=16, device="cpu", random_state=0
    )
    out["ImageEmbedder"] = digest(embedder.fit_transform(Xi))
    return out


if __name__ == "__main__":
    for name, value in fingerprints().items():
        print(f"{name:40s} {value}")
