"""Training of weidai's expert model: XGBoost on tabular loan data, exported to ONNX with a model card.

Nothing in the TypeScript service imports this package: the contract is the files written per version
(model.onnx, model.xgb.json, card.json, shap_vectors.json).
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
