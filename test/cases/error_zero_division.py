# ZeroDivisionError: averaging a loss over zero non-padding tokens with Python ints.
def masked_average(total, mask_row):
    n = sum(mask_row)
    return total / n


ok = masked_average(6.0, [1, 1, 0])
bad = masked_average(1.5, [0, 0, 0])
