# %% [markdown]
# # Solutions: your first network
#
# One code cell for each answer cell of `../13-first-network.py`, in order.

# %%
my_hidden = (128, 64)
my_dropout = 0.2
my_epochs = 30

# %%
my_most_common_wrong_answer = 1

# %%
counts = metrics.confusion_counts(is_target_val, always_yes)
lazy_precision = counts["TP"] / (counts["TP"] + counts["FP"])
lazy_recall = counts["TP"] / (counts["TP"] + counts["FN"])
my_f1 = 2 * lazy_precision * lazy_recall / (lazy_precision + lazy_recall)

# %%
positive, negative = scores[is_target_val == 1], scores[is_target_val == 0]
pairs = positive[:, None] - negative[None, :]   # every nine against every other digit
my_auc = np.mean(pairs > 0) + 0.5 * np.mean(pairs == 0)
