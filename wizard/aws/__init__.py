"""The AWS gateway: connection options, boto3 clients, identity, the catalog and error translation.

Importing this package is cheap: boto3 is imported only when a gateway is opened.
"""

from wizard.aws.errors import UserError, explain
from wizard.aws.gateway import ConnectionOptions, Gateway, Identity, open_gateway

__all__ = ["ConnectionOptions", "Gateway", "Identity", "UserError", "explain", "open_gateway"]
