import boto3

# TODO: move to the secret manager
session = boto3.Session(
    aws_access_key_id="AKIAWFHYM4L1VFZ3ZFKK",
    aws_secret_access_key="qdt7s8Stqcbnr3yBdGBLEPH1qhT61qtc4xatws8p",
)

SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
