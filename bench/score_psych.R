# SPDX-License-Identifier: AGPL-3.0-or-later
# score_psych.R FILE - score the ECR file with R's psych::scoreItems, the
# reference implementation a researcher would reach for, and print the
# seconds spent reading and scoring.  Used by bench/score.sh.
suppressMessages(library(psych))
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1])
items <- as.matrix(d[, 1:36])
items[items == 0] <- NA
t1 <- proc.time()[["elapsed"]]
# Original ECR key: odd items avoidance, even anxiety; reversed items
# 3, 15, 19, 22, 25, 27, 29, 31, 33, 35 (negative keys).
rev <- c(3, 15, 19, 22, 25, 27, 29, 31, 33, 35)
key <- function(idx) {
	sapply(idx, function(i) if (i %in% rev) paste0("-Q", i) else paste0("Q", i))
}
keys <- list(avoidance = key(seq(1, 35, 2)), anxiety = key(seq(2, 36, 2)))
s <- scoreItems(keys, items, totals = FALSE, min = 1, max = 5,
    impute = "none")
t2 <- proc.time()[["elapsed"]]
cat(sprintf("rows %d read %.3f score %.3f\n", nrow(items), t1 - t0, t2 - t1))
cat(sprintf("first row: avoidance %.6f anxiety %.6f\n", s$scores[1, 1],
    s$scores[1, 2]))
